// Alarms: raised by rules from what the chargers, the mail server and backups report
// (src-main/alarms), folded by key with a count, cleared by themselves or by a person with a
// reason; acknowledging is separate. Plus each rule's severity and each user's notifications.
import { z } from 'zod';
import { method } from '../define';
import { STAFF_ROLES } from '../../roles';
import { ALARM_RULE_IDS, HHMM, SEVERITIES } from '../../alarms';
import { LIMITS, filterText, idSchema, optionalText, requiredText } from '../../validation';
import { pageInput, pageOutput } from '../paging';

const severitySchema = z.enum(SEVERITIES);
const ruleSchema = z.enum(ALARM_RULE_IDS);
const hhmm = z.string().max(5).regex(HHMM, 'Use a 24-hour time such as 07:00');

/** The filters of the three views (and of their CSV exports). */
export const alarmFilterSchema = z
  .object({
    siteId: idSchema.optional(),
    stationId: idSchema.optional(),
    severity: severitySchema.optional(),
    rule: ruleSchema.optional(),
    /** Words in the title or detail. */
    text: filterText(),
    from: z.number().optional(),
    to: z.number().optional(),
  })
  .strict();
export type AlarmFilter = z.infer<typeof alarmFilterSchema>;

export const ALARM_VIEWS = ['active', 'history'] as const;
export const ALARM_EVENT_KINDS = [
  'raised',
  'repeated',
  'acknowledged',
  'cleared',
  'auto-cleared',
] as const;

export const alarmSchema = z.object({
  id: z.number(),
  rule: z.string(),
  severity: severitySchema,
  siteId: z.number().nullable(),
  siteName: z.string().nullable(),
  stationId: z.number().nullable(),
  stationName: z.string().nullable(),
  stationIdentity: z.string().nullable(),
  connectorNumber: z.number().nullable(),
  title: z.string(),
  detail: z.string().nullable(),
  count: z.number(),
  firstAt: z.number(),
  lastAt: z.number(),
  state: z.enum(['active', 'cleared']),
  acknowledgedAt: z.number().nullable(),
  acknowledgedByName: z.string().nullable(),
  clearedAt: z.number().nullable(),
  /** null with clearedAt: it cleared itself. */
  clearedByName: z.string().nullable(),
  clearReason: z.string().nullable(),
});
export type Alarm = z.infer<typeof alarmSchema>;

export const alarmEventSchema = z.object({
  id: z.number(),
  alarmId: z.number(),
  at: z.number(),
  kind: z.enum(ALARM_EVENT_KINDS),
  rule: z.string(),
  severity: severitySchema,
  siteId: z.number().nullable(),
  siteName: z.string().nullable(),
  stationId: z.number().nullable(),
  stationName: z.string().nullable(),
  title: z.string(),
  detail: z.string().nullable(),
  userName: z.string().nullable(),
});

const ruleSettingSchema = z.object({
  rule: ruleSchema,
  severity: severitySchema,
  delaySeconds: z.number().nullable(),
  customised: z.boolean(),
});

export const alarmPrefsSchema = z
  .object({
    /** Emailed at once when raised. */
    emailSeverities: z.array(severitySchema).max(SEVERITIES.length),
    /** null: every site you may see. */
    siteIds: z.array(idSchema).max(LIMITS.list).nullable(),
    quietFrom: hhmm.nullable(),
    quietTo: hhmm.nullable(),
    digest: z.boolean(),
    digestAt: hhmm,
    /** Pop-ups (in the browser and on the desktop) for new alarms of these severities. */
    popupSeverities: z.array(severitySchema).max(SEVERITIES.length),
  })
  .strict();

const countsSchema = z.object({ count: z.number(), severity: severitySchema });
const bySeveritySchema = z.object({ critical: z.number(), warning: z.number(), info: z.number() });

export const alarmMethods = {
  'alarm-list': method({
    summary:
      'Active alarms (newest first by their last occurrence) or alarm history (cleared ones, newest clear first), filtered.',
    access: STAFF_ROLES,
    audit: false,
    input: alarmFilterSchema.extend({ view: z.enum(ALARM_VIEWS), ...pageInput(50) }).strict(),
    output: z.object({ ...pageOutput, alarms: z.array(alarmSchema) }),
  }),
  'alarm-event-list': method({
    summary: 'The alarm event log: every raise, repeat, acknowledgement and clear, newest first.',
    access: STAFF_ROLES,
    audit: false,
    input: alarmFilterSchema
      .extend({ kind: z.enum(ALARM_EVENT_KINDS).optional(), ...pageInput(50) })
      .strict(),
    output: z.object({ ...pageOutput, events: z.array(alarmEventSchema) }),
  }),
  'alarm-summary': method({
    summary:
      'Active alarms counted by severity, by site and by station (the navigator, floor plan and dashboard).',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({}).strict(),
    output: z.object({
      total: z.number(),
      bySeverity: bySeveritySchema,
      sites: z.array(countsSchema.extend({ siteId: z.number(), bySeverity: bySeveritySchema })),
      stations: z.array(countsSchema.extend({ stationId: z.number() })),
      organisation: countsSchema.nullable(),
    }),
  }),
  'alarm-acknowledge': method({
    summary: 'Says you have seen an alarm (it stays active until cleared).',
    access: STAFF_ROLES,
    audit: true,
    input: z.object({ id: idSchema, note: optionalText(LIMITS.note).optional() }).strict(),
    output: alarmSchema,
  }),
  'alarm-clear': method({
    summary: 'Clears an active alarm by hand, saying why.',
    access: STAFF_ROLES,
    audit: true,
    input: z.object({ id: idSchema, reason: requiredText(LIMITS.note) }).strict(),
    output: alarmSchema,
  }),
  'alarm-rule-list': method({
    summary: 'Every alarm rule with its severity and delay.',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({}).strict(),
    output: z.array(ruleSettingSchema),
  }),
  'alarm-rule-update': method({
    summary: "Changes a rule's severity (for alarms raised from now on) and its delay.",
    access: ['admin'],
    audit: true,
    input: z
      .object({
        rule: ruleSchema,
        severity: severitySchema.optional(),
        delaySeconds: z.number().int().nullable().optional(),
      })
      .strict(),
    output: ruleSettingSchema,
  }),
  'alarm-prefs-get': method({
    summary: 'Your alarm notifications: emails, sites, quiet hours, the daily digest, pop-ups.',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({}).strict(),
    output: alarmPrefsSchema.extend({ digestJobs: z.number() }),
  }),
  'alarm-popup-check': method({
    summary:
      'Whether a new alarm should pop up for you now (your pop-up severities, sites and quiet hours).',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ alarmId: idSchema }).strict(),
    output: z.object({ show: z.boolean() }),
  }),
  'alarm-prefs-set': method({
    summary: 'Saves your alarm notifications.',
    access: STAFF_ROLES,
    audit: true,
    input: alarmPrefsSchema,
    output: alarmPrefsSchema.extend({ digestJobs: z.number() }),
  }),
} as const;
