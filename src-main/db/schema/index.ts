// The whole schema, for drizzle and drizzle-kit. One file per domain; add new ones here.
export * from './core';
export * from './ocpp';
export * from './scheduler';
export * from './mail';
export * from './residents';
export * from './floor-plans';
export * from './balancing';
export * from './sessions';
export * from './alarms';
export * from './billing';
export * from './dashboard';
export * from './billing-exports';
export * from './rollups';
