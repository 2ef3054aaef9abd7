import type { MethodName } from '../../../src-shared/api/contract';
import type { HandlerMap } from '../context';
import { foundationHandlers } from './foundation';
import { ocppHandlers } from './ocpp';
import { mailHandlers } from './mail';
import { downloadHandlers } from './downloads';
import { demoHandlers } from './demo';
import { residentsHandlers } from './residents';
import { floorPlanHandlers } from './floor-plans';

/** Every method's handler; a method without one fails to typecheck. */
export const handlers = {
  ...foundationHandlers,
  ...ocppHandlers,
  ...mailHandlers,
  ...downloadHandlers,
  ...demoHandlers,
  ...residentsHandlers,
  ...floorPlanHandlers,
} satisfies Partial<HandlerMap<MethodName>>;
