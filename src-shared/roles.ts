import { z } from 'zod';

/**
 * Administrator: everything. Site administrator: everything within the sites assigned to them,
 * nothing organisation-wide (users, organisation, backups). Support: configure and operate
 * chargers, no billing, no users. EV user: their own sessions and invoices only.
 */
export const ROLES = ['admin', 'site_admin', 'support', 'ev_user'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  site_admin: 'Site administrator',
  support: 'Support',
  ev_user: 'EV user',
};

/** Roles that may operate chargers (the "staff" roles). */
export const STAFF_ROLES = ['admin', 'site_admin', 'support'] as const satisfies readonly Role[];
