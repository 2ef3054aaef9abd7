import type { MethodName } from '../../../src-shared/api/contract';
import type { HandlerMap } from '../context';
import { foundationHandlers } from './foundation';
import { ocppHandlers } from './ocpp';
import { mailHandlers } from './mail';
import { downloadHandlers } from './downloads';
import { demoHandlers } from './demo';
import { residentsHandlers } from './residents';
import { floorPlanHandlers } from './floor-plans';
import { reportsHandlers } from './reports';
import { balancingHandlers } from './balancing';
import { balancingMeterHandlers } from './balancing-meters';
import { sessionHandlers } from './sessions';
import { alarmHandlers } from './alarms';
import { billingHandlers } from './billing';
import { dashboardHandlers } from './dashboard';
import { billingExportHandlers } from './billing-exports';
import { mergeHandlers } from './merge';

/**
 * Every method's handler, exactly: a method in the contract without a handler, or a method name
 * handled by two groups, fails `npm run typecheck` (test/types/handlers.typecheck.ts proves it).
 */
export const handlers: HandlerMap<MethodName> = mergeHandlers(
  foundationHandlers,
  ocppHandlers,
  mailHandlers,
  downloadHandlers,
  demoHandlers,
  residentsHandlers,
  floorPlanHandlers,
  reportsHandlers,
  balancingHandlers,
  balancingMeterHandlers,
  sessionHandlers,
  alarmHandlers,
  billingHandlers,
  dashboardHandlers,
  billingExportHandlers,
);
