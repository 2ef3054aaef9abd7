// The one API contract: method name → { input, output, access, audit }. Both transports (IPC in
// the desktop app, WebSocket in the headless service) and the UI client are typed from this map.
// Each domain keeps its methods in ./methods/<domain>.ts; add the map here.
import type { z } from 'zod';
import { foundationMethods } from './methods/foundation';
import { ocppMethods } from './methods/ocpp';
import { mailMethods } from './methods/mail';
import { downloadMethods } from './methods/downloads';
import { demoMethods } from './methods/demo';
import { residentsMethods } from './methods/residents';
import { floorPlanMethods } from './methods/floor-plans';
import { reportsMethods } from './methods/reports';
import { balancingMethods } from './methods/balancing';
import { balancingMeterMethods } from './methods/balancing-meters';
import { sessionMethods } from './methods/sessions';
import { alarmMethods } from './methods/alarms';
import { billingMethods } from './methods/billing';
import { dashboardMethods } from './methods/dashboard';
import { billingExportMethods } from './methods/billing-exports';
import { billingReportMethods } from './methods/billing-reports';

export const contract = {
  ...foundationMethods,
  ...ocppMethods,
  ...mailMethods,
  ...downloadMethods,
  ...demoMethods,
  ...residentsMethods,
  ...floorPlanMethods,
  ...reportsMethods,
  ...balancingMethods,
  ...balancingMeterMethods,
  ...sessionMethods,
  ...alarmMethods,
  ...billingMethods,
  ...dashboardMethods,
  ...billingExportMethods,
  ...billingReportMethods,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const isMethodName = (name: string): name is MethodName =>
  Object.prototype.hasOwnProperty.call(contract, name);
