// The alarm rules and their defaults: what each one watches, how bad it is by default, and the
// delay it waits before raising (where it has one). Shared: the core raises by them, the UI
// names them.
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};

/** Worst first: sorts and picks the worst of several. */
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);
export const worstSeverity = (list: Severity[]): Severity | null =>
  list.reduce<Severity | null>(
    (worst, s) => (worst === null || severityRank(s) < severityRank(worst) ? s : worst),
    null,
  );

export const ALARM_RULE_IDS = [
  'connector-fault',
  'vendor-error',
  'station-offline',
  'unknown-charger',
  'boot-rejected',
  'meter-backwards',
  'meter-silent',
  'transaction-suspect',
  'remote-operation-failed',
  'load-balancing-fault',
  'load-meter-quiet',
  'email-failed',
  'backup-failed',
  'billing-run-prepared',
] as const;
export type AlarmRuleId = (typeof ALARM_RULE_IDS)[number];

export interface AlarmRuleDef {
  label: string;
  description: string;
  severity: Severity;
  /** Seconds it waits before raising (editable), when the rule has such a delay. */
  delay?: { seconds: number; label: string; min: number; max: number };
  /** Raised by nothing yet (kept so its severity can be set before the feature lands). */
  reserved?: boolean;
}

export const ALARM_RULES: Record<AlarmRuleId, AlarmRuleDef> = {
  'connector-fault': {
    label: 'Outlet fault',
    description:
      'A charger reports an error code on an outlet (ground failure, over-current, …); clears itself when it reports no error.',
    severity: 'critical',
  },
  'vendor-error': {
    label: 'Manufacturer error code',
    description:
      "A charger reports its manufacturer's own error code on an outlet; clears itself when it reports none.",
    severity: 'warning',
  },
  'station-offline': {
    label: 'Charger offline',
    description:
      'A charger has been disconnected for longer than the grace period; clears itself when it comes back.',
    severity: 'critical',
    delay: { seconds: 300, label: 'Grace period (seconds)', min: 5, max: 86_400 },
  },
  'unknown-charger': {
    label: 'Unknown charger',
    description:
      'A charger that is not registered tried to connect; clears itself once it is adopted and connects.',
    severity: 'warning',
  },
  'boot-rejected': {
    label: 'Boot rejected',
    description:
      'A blocked charger tried to start up and was turned away; clears itself when it is accepted.',
    severity: 'warning',
  },
  'meter-backwards': {
    label: 'Meter went backwards',
    description: "A charger's energy register went down during a session.",
    severity: 'warning',
  },
  'meter-silent': {
    label: 'Meter silent',
    description:
      'A session in progress sent no meter reading for longer than the delay; clears itself at the next reading.',
    severity: 'warning',
    delay: { seconds: 1800, label: 'Silence allowed (seconds)', min: 60, max: 86_400 },
  },
  'transaction-suspect': {
    label: 'Session flagged',
    description: 'A charging session was flagged as implausible or for review.',
    severity: 'info',
  },
  'remote-operation-failed': {
    label: 'Remote operation failed',
    description:
      'A command sent to a charger (reset, unlock, remote start, …) failed or was refused. Closes itself when the same command later succeeds on that charger.',
    severity: 'warning',
  },
  'load-balancing-fault': {
    label: 'Load-balancing fault',
    description:
      'A charger does not accept or follow its charging limit, or the load a circuit cannot shed exceeds its limit.',
    severity: 'critical',
  },
  'load-meter-quiet': {
    label: 'Building meter quiet',
    description:
      "A load-balancing meter (Modbus TCP) gave no reading within its timeout, or an impossible one: the chargers get only what the building's assumed load leaves. Clears itself when it reads again.",
    severity: 'warning',
  },
  'email-failed': {
    label: 'Email not delivered',
    description:
      'An email could not be delivered (see Email → Outbox); clears itself when an email goes out again.',
    severity: 'warning',
  },
  'backup-failed': {
    label: 'Backup failed',
    description: 'A backup could not be written; clears itself after the next successful backup.',
    severity: 'critical',
  },
  'billing-run-prepared': {
    label: 'Invoice run ready to review',
    description:
      'A billing period ended and its invoice run was prepared (nothing issued): preview and issue it under Billing. Clears itself when the run is issued.',
    severity: 'info',
  },
};

export const isAlarmRule = (s: string): s is AlarmRuleId =>
  (ALARM_RULE_IDS as readonly string[]).includes(s);

/** A user's notification preferences until they choose: no email (they ask for it), pop-ups
 *  for critical alarms. */
export const DEFAULT_ALARM_PREFS = {
  emailSeverities: [] as Severity[],
  siteIds: null as number[] | null,
  quietFrom: null as string | null,
  quietTo: null as string | null,
  digest: false,
  digestAt: '07:00',
  popupSeverities: ['critical'] as Severity[],
};

/** 'HH:MM' (24-hour). */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether a wall-clock time 'HH:MM' is inside quiet hours from–to (which may span midnight). */
export function inQuietHours(hhmm: string, from: string | null, to: string | null): boolean {
  if (!from || !to || from === to) return false;
  return from < to ? hhmm >= from && hhmm < to : hhmm >= from || hhmm < to;
}

/**
 * Whether a new alarm pops up (the browser's toast, the desktop's notification) for a user with
 * these preferences: a severity they chose, a site they want (null: every site they may see), and
 * not in their quiet hours (`hhmm`: now on the alarm's site's wall clock). Whether they may see
 * the alarm at all is the caller's check (the transports' event rule).
 */
export function popupWanted(
  prefs: {
    popupSeverities: Severity[];
    siteIds: number[] | null;
    quietFrom: string | null;
    quietTo: string | null;
  },
  alarm: { severity: Severity; siteId: number | null },
  hhmm: string,
): boolean {
  if (!prefs.popupSeverities.includes(alarm.severity)) return false;
  if (alarm.siteId !== null && prefs.siteIds !== null && !prefs.siteIds.includes(alarm.siteId))
    return false;
  return !inQuietHours(hhmm, prefs.quietFrom, prefs.quietTo);
}
