// The SMTP settings, one JSON row in `settings`. The password is kept for sending but never
// returned: view() says only whether one is stored, and the audit entry of a change redacts it.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open';
import { settings } from '../db/schema';
import type { MailSettings } from '../../src-shared/api/methods/mail';
import type { SmtpSettings } from './mailer';

const KEY = 'mail.smtp';
const storedSchema = z.object({
  host: z.string(),
  port: z.number(),
  security: z.enum(['none', 'starttls', 'tls']),
  user: z.string().nullable(),
  password: z.string().nullable(),
  from: z.string(),
  replyTo: z.string().nullable(),
});

export interface SettingsUpdate extends Omit<SmtpSettings, 'password' | 'user' | 'replyTo'> {
  user?: string | null;
  /** undefined or '' keeps the stored password; null removes it. */
  password?: string | null;
  replyTo?: string | null;
}

export function createMailSettings(db: Db, now: () => number) {
  function load(): SmtpSettings | null {
    const row = db.select().from(settings).where(eq(settings.key, KEY)).get();
    if (!row) return null;
    try {
      const parsed = storedSchema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  function view(): MailSettings {
    const s = load();
    if (!s) {
      return {
        configured: false,
        host: '',
        port: 587,
        security: 'starttls',
        user: null,
        passwordSet: false,
        from: '',
        replyTo: null,
      };
    }
    const { password, ...rest } = s;
    return { configured: true, ...rest, passwordSet: !!password };
  }

  function update(u: SettingsUpdate): MailSettings {
    const before = load();
    const keep = u.password === undefined || u.password === '';
    const next: SmtpSettings = {
      host: u.host,
      port: u.port,
      security: u.security,
      user: u.user || null,
      password: keep ? (before?.password ?? null) : u.password || null,
      from: u.from,
      replyTo: u.replyTo || null,
    };
    const value = JSON.stringify(next);
    const t = now();
    db.insert(settings)
      .values({ key: KEY, value, updatedAt: t })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: t } })
      .run();
    return view();
  }

  return { load, view, update };
}
