// Post-boot setup (docs/ocpp.md "Post-boot setup"): after an accepted BootNotification, read
// the charger's configuration, set meter sampling from what it reported (post-boot-plan.ts)
// and sync its card list. What it refuses is kept for the configuration tab.
import { eq } from 'drizzle-orm';
import type { ConfigRefusal } from '../../src-shared/api/methods/ocpp';
import { connectors } from '../db/schema';
import type { Operations } from './operations';
import {
  isDcCharger,
  sampledDataChange,
  sampleIntervalChange,
  supportsLocalList,
  type ReportedKey,
} from './post-boot-plan';
import type { OcppRuntime } from './runtime';
import type { Session } from './session';

export function createPostBootSetup(
  rt: OcppRuntime,
  ops: Pick<Operations, 'callOn' | 'storeConfiguration' | 'storeConfigValue' | 'sendLocalList'>,
) {
  const { db, clock, logger, store } = rt;
  const { callOn, storeConfiguration, storeConfigValue, sendLocalList } = ops;

  /**
   * After an accepted boot (docs/ocpp.md "Post-boot setup"): read the configuration, then set
   * sampling from what the charger reported (post-boot-plan.ts) — only keys it has and may
   * change, only measurands it can measure, no more than its maximum, nothing it already
   * holds — and sync the card list if it has the profile. What it refuses (or what cannot be
   * asked) is logged and kept for the configuration tab; what it accepts is stored.
   */
  async function configureAfterBoot(s: Session) {
    const settings = store.getSettings();
    const refused: ConfigRefusal[] = [];
    const step = async (what: string, f: () => Promise<unknown>) => {
      if (s.closed) return;
      try {
        await f();
      } catch (e) {
        logger.warn(`post-boot ${what} failed`, {
          identity: s.identity,
          error: (e as Error).message,
        });
      }
    };
    const refuse = (key: string, value: string | null, answer: string) => {
      refused.push({ key, value, answer, at: clock.now() });
      logger.warn('charger did not take a post-boot setting', {
        identity: s.identity,
        key,
        value,
        answer,
      });
    };
    const reported = new Map<string, ReportedKey>();
    let read = false;
    await step('GetConfiguration', async () => {
      const conf = await callOn(s, 'GetConfiguration', {});
      storeConfiguration(s.stationId, conf);
      for (const k of (conf.configurationKey as
        { key: string; value?: string; readonly: boolean }[] | undefined) ?? [])
        reported.set(k.key, { value: k.value ?? null, readonly: k.readonly });
      read = true;
    });
    if (s.closed) return;
    // Without its configuration nothing is known about the charger: change nothing blindly.
    if (!read) return saveRefusals(s.stationId, [], 'GetConfiguration failed');
    const dc = isDcCharger(
      db
        .select({ type: connectors.type })
        .from(connectors)
        .where(eq(connectors.stationId, s.stationId))
        .all()
        .map((c) => c.type),
    );
    const changes = [
      sampleIntervalChange(reported, settings.meterSampleIntervalSeconds),
      sampledDataChange(reported, settings.sampledMeasurands, dc),
    ];
    for (const c of changes) {
      if (!c) continue;
      if (!c.send) {
        refuse(c.key, c.value, c.reason);
        continue;
      }
      await step(c.key, async () => {
        let value = c.value;
        let status = String((await callOn(s, 'ChangeConfiguration', { key: c.key, value })).status);
        if (status === 'Rejected' && c.fallback) {
          refuse(c.key, value, status);
          value = c.fallback;
          status = String((await callOn(s, 'ChangeConfiguration', { key: c.key, value })).status);
        }
        if (status === 'Accepted' || status === 'RebootRequired')
          storeConfigValue(s.stationId, c.key, value);
        else refuse(c.key, value, status);
      });
    }
    if (supportsLocalList(reported))
      await step('SendLocalList', async () => {
        const r = await sendLocalList(s, s.stationId);
        if (r.status === 'NotSupported')
          logger.info('charger has no local list support', { identity: s.identity });
      });
    saveRefusals(s.stationId, refused);
  }

  function saveRefusals(stationId: number, refused: ConfigRefusal[], failed?: string) {
    if (failed) logger.warn('post-boot setup skipped', { stationId, reason: failed });
    store.patchStationOcpp(stationId, { setupRefused: JSON.stringify(refused) });
  }

  return configureAfterBoot;
}
