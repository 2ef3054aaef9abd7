import type { MethodName } from '../../../src-shared/api/contract';
import type { HandlerMap } from '../context';
import { foundationHandlers } from './foundation';
import { ocppHandlers } from './ocpp';
import { mailHandlers } from './mail';

/** Every method's handler; a method without one fails to typecheck. */
export const handlers = {
  ...foundationHandlers,
  ...ocppHandlers,
  ...mailHandlers,
} satisfies Partial<HandlerMap<MethodName>>;
