// Secret configuration values (AuthorizationKey, vendor passwords: src-shared/ocpp/config-keys.ts)
// taken out of OCPP frames before they are logged (issue 7 #6): a ChangeConfiguration we send
// and a GetConfiguration answer a charger sends carry them as {key, value} objects.
import { isSecretConfigKey, REDACTED } from '../../src-shared/ocpp/config-keys';

// For a frame that is not whole JSON (clipped, or garbage): a "key" next to a "value", in
// either order.
const KEY_THEN_VALUE =
  /("key"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*(?:"readonly"\s*:\s*\w+\s*,\s*)?"value"\s*:\s*)"(?:[^"\\]|\\.)*"/g;
const VALUE_THEN_KEY =
  /("value"\s*:\s*)"(?:[^"\\]|\\.)*"(\s*,\s*(?:"readonly"\s*:\s*\w+\s*,\s*)?"key"\s*:\s*"((?:[^"\\]|\\.)*)")/g;

/** The frame with every secret key's value replaced by REDACTED (the frame itself if none). */
export function redactConfigFrame(raw: string): string {
  if (!raw.includes('"key"')) return raw;
  let frame: unknown;
  try {
    frame = JSON.parse(raw);
  } catch {
    return raw
      .replace(KEY_THEN_VALUE, (all, head: string, key: string) =>
        isSecretConfigKey(key) ? `${head}"${REDACTED}"` : all,
      )
      .replace(VALUE_THEN_KEY, (all, head: string, tail: string, key: string) =>
        isSecretConfigKey(key) ? `${head}"${REDACTED}"${tail}` : all,
      );
  }
  let changed = false;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.key === 'string' && o.value != null && isSecretConfigKey(o.key)) {
      o.value = REDACTED;
      changed = true;
    }
    for (const x of Object.values(o)) walk(x);
  };
  walk(frame);
  return changed ? JSON.stringify(frame) : raw;
}
