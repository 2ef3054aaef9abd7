import type { MethodName } from '../../../src-shared/api/contract';
import type { HandlerMap } from '../context';
import { foundationHandlers } from './foundation';
import { ocppHandlers } from './ocpp';

/** Every method's handler; a method without one fails to typecheck. */
export const handlers = {
  ...foundationHandlers,
  ...ocppHandlers,
} satisfies Partial<HandlerMap<MethodName>>;
