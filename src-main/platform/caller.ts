// Who is making a call. Below the API layer so that domains (audit, auth, downloads...) can take
// a caller without importing api/ (eslint.config.js: domains never import the API layer).
import type { Role } from '../../src-shared/roles';

/** The logged-in user behind a call, re-read from the session store on every call. */
export interface Caller {
  userId: number;
  email: string;
  name: string;
  role: Role;
  /** Sites assigned (site administrators, EV users). Administrators and support see all. */
  siteIds: number[];
  /** The password was reset: only choosing a new one (and logging out) is allowed. */
  mustChangePassword: boolean;
  sessionId: number;
  expiresAt: number;
}
