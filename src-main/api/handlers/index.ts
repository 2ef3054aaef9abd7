import type { MethodName } from '../../../src-shared/api/contract';
import type { HandlerMap } from '../context';

/** Every method's handler; a method without one fails to typecheck. */
export const handlers = {} satisfies Partial<HandlerMap<MethodName>>;
