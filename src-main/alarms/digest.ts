// "Email at alarm": a daily digest of the active alarms, to each user who asks for it, at their
// chosen time on the wall clock of their sites' time zone (one scheduler job per user and zone;
// most organisations have one building, so one job per user). Jobs follow the preferences, the
// users and the sites: sync() re-derives them (start-up, a preference saved, the tree changed,
// a restore); a run re-reads who wants what, so a job a moment out of date sends nothing wrong.
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/open';
import { alarms } from '../db/schema';
import type { Outbox } from '../mail/outbox';
import type { Logger } from '../platform/logger';
import type { Scheduler } from '../platform/scheduler';
import { severityRank, type Severity } from '../../src-shared/alarms';
import { siteZones, wantsSite, type AlarmPrefsStore, type Recipient } from './prefs';
import { describeAlarm, localTime } from './notify';

interface Planned {
  userId: number;
  zone: string;
  at: string;
}

export function createDigests(deps: {
  db: Db;
  scheduler: Scheduler;
  prefs: AlarmPrefsStore;
  outbox: Pick<Outbox, 'enqueue'>;
  logger: Logger;
  footer: () => string;
}) {
  const { db } = deps;
  const logger = deps.logger.child({ component: 'alarms' });
  const running = new Map<string, { key: string; remove: () => void }>();

  /** The sites of a recipient's digest in one zone, and whether organisation-wide alarms go in. */
  function scopeOf(r: Recipient, zone: string) {
    const zones = siteZones(db);
    const siteIds = [...zones.all]
      .filter(([id, z]) => z === zone && wantsSite(r, id))
      .map(([id]) => id);
    return { siteIds, orgWide: r.access === 'all' && zones.zoneOf(null) === zone };
  }

  function plan(): Map<string, Planned> {
    const zones = siteZones(db);
    const out = new Map<string, Planned>();
    for (const r of deps.prefs.recipients()) {
      if (!r.prefs.digest) continue;
      const userZones = new Set(
        [...zones.all].filter(([id]) => wantsSite(r, id)).map(([, z]) => z),
      );
      if (r.access === 'all') userZones.add(zones.zoneOf(null));
      for (const zone of userZones) {
        out.set(`alarms.digest.${r.userId}.${zone}`, {
          userId: r.userId,
          zone,
          at: r.prefs.digestAt,
        });
      }
    }
    return out;
  }

  function send(userId: number, zone: string, slot: number): void {
    const r = deps.prefs.recipients().find((x) => x.userId === userId);
    if (!r || !r.prefs.digest) return;
    const { siteIds, orgWide } = scopeOf(r, zone);
    const rows = db
      .select()
      .from(alarms)
      .where(
        and(
          eq(alarms.state, 'active'),
          or(
            siteIds.length ? inArray(alarms.siteId, siteIds) : undefined,
            orgWide ? isNull(alarms.siteId) : undefined,
          ),
        ),
      )
      .all()
      .filter((a) => a.siteId !== null || orgWide)
      .sort(
        (a, b) =>
          severityRank(a.severity as Severity) - severityRank(b.severity as Severity) ||
          b.lastAt - a.lastAt,
      );
    if ((!siteIds.length && !orgWide) || rows.length === 0) {
      logger.info('alarm digest: nothing active, not sent', { userId, zone });
      return;
    }
    const zones = siteZones(db);
    const n = rows.length;
    db.transaction(() => {
      deps.outbox.enqueue(db, {
        kind: 'alarm-digest',
        to: [r.email],
        subject: `[StrataCharge] Daily alarm digest: ${n} active alarm${n === 1 ? '' : 's'}`,
        text: [
          `Hello ${r.name},`,
          '',
          `The alarms still active at ${localTime(slot, zone)}:`,
          '',
          ...rows.map((a) => describeAlarm(db, a, zones.zoneOf(a.siteId)) + '\n'),
          deps.footer(),
          '',
        ].join('\n'),
      });
    });
  }

  /** Makes the scheduler's digest jobs match the preferences, users and sites. */
  function sync(): void {
    const wanted = plan();
    for (const [name, job] of running) {
      const p = wanted.get(name);
      if (!p || JSON.stringify(p) !== job.key) {
        job.remove();
        running.delete(name);
      }
    }
    for (const [name, p] of wanted) {
      if (running.has(name)) continue;
      const remove = deps.scheduler.add({
        name,
        schedule: { daily: p.at, zone: p.zone },
        // Yesterday's list is stale by now: the next one is at the usual time.
        missed: 'skip',
        run: ({ slot }) => send(p.userId, p.zone, slot),
      });
      running.set(name, { key: JSON.stringify(p), remove });
    }
  }

  return {
    sync,
    stop() {
      for (const j of running.values()) j.remove();
      running.clear();
    },
    /** The digest jobs now scheduled (for the preferences page: "next digest at"). */
    jobs: () => [...running.keys()],
  };
}
