// Entities as the API exposes them (camelCase, timestamps as UTC epoch ms).
import { z } from 'zod';
import { roleSchema } from './roles';

export const organisationSchema = z.object({
  name: z.string(),
  abn: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const siteSchema = z.object({
  id: z.number(),
  name: z.string(),
  strataPlan: z.string().nullable(),
  address: z.string().nullable(),
  timeZone: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Site = z.infer<typeof siteSchema>;

export const floorSchema = z.object({
  id: z.number(),
  siteId: z.number(),
  name: z.string(),
  level: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Floor = z.infer<typeof floorSchema>;

export const PHASES = ['three', 'L1', 'L2', 'L3'] as const;
export const phasesSchema = z.enum(PHASES);

export const connectorSchema = z.object({
  id: z.number(),
  stationId: z.number(),
  connectorNumber: z.number(),
  name: z.string().nullable(),
  type: z.string().nullable(),
  maxCurrentA: z.number().nullable(),
  status: z.string(),
  errorCode: z.string().nullable(),
  vendorErrorCode: z.string().nullable(),
  info: z.string().nullable(),
  statusAt: z.number().nullable(),
});
export type Connector = z.infer<typeof connectorSchema>;

export const stationSchema = z.object({
  id: z.number(),
  siteId: z.number(),
  floorId: z.number().nullable(),
  identity: z.string(),
  name: z.string(),
  maxCurrentA: z.number(),
  phases: phasesSchema,
  approved: z.boolean(),
  blocked: z.boolean(),
  securityProfile: z.number(),
  hasPassword: z.boolean(),
  vendor: z.string().nullable(),
  model: z.string().nullable(),
  serialNumber: z.string().nullable(),
  firmwareVersion: z.string().nullable(),
  ocppVersion: z.string().nullable(),
  lastBootAt: z.number().nullable(),
  lastSeenAt: z.number().nullable(),
  lastHeartbeatAt: z.number().nullable(),
  lastIp: z.string().nullable(),
  /** Live: is a WebSocket connection open right now. */
  connected: z.boolean(),
  connectors: z.array(connectorSchema),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Station = z.infer<typeof stationSchema>;

export const userSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  siteIds: z.array(z.number()),
  disabled: z.boolean(),
  /** The password was reset: the user must choose a new one before anything else. */
  mustChangePassword: z.boolean(),
  lastLoginAt: z.number().nullable(),
  createdAt: z.number(),
});
export type User = z.infer<typeof userSchema>;

/** The navigator tree: organisation → sites → floors → stations → connectors. */
export const treeStationSchema = z.object({
  id: z.number(),
  name: z.string(),
  identity: z.string(),
  floorId: z.number().nullable(),
  connected: z.boolean(),
  connectors: z.array(
    z.object({ id: z.number(), connectorNumber: z.number(), status: z.string() }),
  ),
});
export const treeSchema = z.object({
  organisation: z.object({ name: z.string() }).nullable(),
  sites: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      strataPlan: z.string().nullable(),
      floors: z.array(z.object({ id: z.number(), name: z.string(), level: z.number() })),
      /** Stations not (yet) placed on a floor are listed here with floorId null. */
      stations: z.array(treeStationSchema),
    }),
  ),
});
export type Tree = z.infer<typeof treeSchema>;

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  userId: z.number().nullable(),
  userEmail: z.string().nullable(),
  method: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  siteId: z.number().nullable(),
  input: z.unknown(),
  before: z.unknown(),
  after: z.unknown(),
  outcome: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const backupSchema = z.object({
  fileName: z.string(),
  sizeBytes: z.number(),
  createdAt: z.number(),
  kind: z.enum(['scheduled', 'manual', 'pre-restore']),
});
export type Backup = z.infer<typeof backupSchema>;
