// A real SMTP server for the UI specs (smtp-server on 127.0.0.1, port 0), recording what it
// accepts and checking a user name and password.
import { SMTPServer } from 'smtp-server';

export async function startSmtpServer() {
  const user = 'mailer@harbourview.example';
  const password = 'the right mail password';
  const received: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === password) cb(null, { user });
      else
        cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb(null, 'Message queued');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    port,
    user,
    password,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The mail settings that send through `smtp` (mail-settings-update's input). */
export const mailSettingsFor = (
  smtp: Pick<Awaited<ReturnType<typeof startSmtpServer>>, 'port' | 'user' | 'password'>,
  from: string,
) => ({
  host: '127.0.0.1',
  port: smtp.port,
  security: 'none',
  user: smtp.user,
  password: smtp.password,
  from,
});
