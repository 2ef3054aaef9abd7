// A real SMTP server for tests (the smtp-server package) on 127.0.0.1, port 0: records every
// message it accepts, checks a user name and password, and can be stopped and started again on
// the same port (a mail server that was down).
import { SMTPServer } from 'smtp-server';
import { onTestFinished } from 'vitest';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const SMTP_USER = 'mailer@example.com';
export const SMTP_PASSWORD = 'right password';

/** Listens at once unless `down`; `refuse` makes it refuse those recipients (550). */
export async function startSmtp(
  opts: { down?: boolean; refuse?: string[] } = {},
): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | null = null;
  let port = 0;
  const make = () =>
    new SMTPServer({
      // Plain SMTP with AUTH on loopback; TLS is nodemailer's job and not what these tests check.
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) {
          cb(null, { user: auth.username });
        } else {
          cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
        }
      },
      onRcptTo(address, _session, cb) {
        if (opts.refuse?.includes(address.address)) {
          cb(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
        } else cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          cb(null, 'Message queued as test-1');
        });
      },
    });
  const handle: TestSmtp = {
    get port() {
      return port;
    },
    received,
    async start() {
      server = make();
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.server.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      const address = s.server.address();
      if (address && typeof address === 'object') port = address.port;
    },
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await handle.start();
  if (opts.down) await handle.stop();
  onTestFinished(() => handle.stop());
  return handle;
}

/** Polls until `check` returns a value (not undefined/false), or fails after the deadline. */
export async function until<T>(
  check: () => T | null | undefined | false,
  what: string,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
