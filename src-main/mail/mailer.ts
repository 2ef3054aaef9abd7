// The Mailer seam: hands one message to an SMTP server and returns the server's answer. The
// default is nodemailer's SMTP transport; createCore takes another (tests use the real one
// against smtp-server on 127.0.0.1). It neither queues nor retries: the outbox does.
import { createTransport } from 'nodemailer';

export type SmtpSecurity = 'none' | 'starttls' | 'tls';

export interface SmtpSettings {
  host: string;
  port: number;
  /** 'tls': TLS from the first byte (port 465); 'starttls': upgrade required (587); 'none'. */
  security: SmtpSecurity;
  user: string | null;
  password: string | null;
  from: string;
  replyTo: string | null;
}

export interface OutgoingMail {
  /** The Message-ID header, fixed when the message was queued. */
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html?: string | null;
  attachments?: { fileName: string; contentType: string; content: Buffer }[];
}

export interface Mailer {
  /** Resolves with the server's answer to the message ('250 ...'); rejects with its error. */
  send(settings: SmtpSettings, mail: OutgoingMail): Promise<{ serverAnswer: string }>;
}

/** How long to wait for the server at each step: long enough for a slow relay, short for a UI. */
const TIMEOUT_MS = 20_000;

export function createSmtpMailer(): Mailer {
  return {
    async send(s, mail) {
      const transport = createTransport({
        host: s.host,
        port: s.port,
        secure: s.security === 'tls',
        requireTLS: s.security === 'starttls',
        ignoreTLS: s.security === 'none',
        auth: s.user ? { user: s.user, pass: s.password ?? '' } : undefined,
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
        dnsTimeout: TIMEOUT_MS,
      });
      try {
        const info = await transport.sendMail({
          from: s.from,
          replyTo: s.replyTo ?? undefined,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html ?? undefined,
          messageId: mail.messageId,
          attachments: mail.attachments?.map((a) => ({
            filename: a.fileName,
            contentType: a.contentType,
            content: a.content,
          })),
        });
        return { serverAnswer: String(info.response ?? '') };
      } finally {
        transport.close();
      }
    },
  };
}
