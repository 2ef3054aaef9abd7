// What each role may see and do in the UI. The core enforces the same rules (contract `access`);
// this only hides what would be refused anyway.
import type { Role } from '../../../src-shared/roles';

export const can = {
  manageUsers: (r: Role) => r === 'admin',
  viewAudit: (r: Role) => r === 'admin',
  manageMail: (r: Role) => r === 'admin',
  manageOrganisation: (r: Role) => r === 'admin',
  manageBackups: (r: Role) => r === 'admin',
  createSite: (r: Role) => r === 'admin',
  deleteSite: (r: Role) => r === 'admin',
  editSite: (r: Role) => r === 'admin' || r === 'site_admin',
  editFloors: (r: Role) => r === 'admin' || r === 'site_admin',
  createStation: (r: Role) => r === 'admin' || r === 'site_admin',
  editStation: (r: Role) => r === 'admin' || r === 'site_admin' || r === 'support',
  operateStation: (r: Role) => r === 'admin' || r === 'site_admin' || r === 'support',
  viewBilling: (r: Role) => r === 'admin' || r === 'site_admin',
  /** Totals name accounts and owners (report-totals: administrators and site administrators). */
  viewReports: (r: Role) => r === 'admin' || r === 'site_admin',
  isStaff: (r: Role) => r !== 'ev_user',
  /** A refused charger belongs to no site yet: dismissing it is organisation-wide. */
  dismissChargerAttempts: (r: Role) => r === 'admin' || r === 'support',
};
