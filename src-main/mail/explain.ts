// Turns an SMTP failure into words a strata manager can act on, keeps the server's exact answer,
// and says whether trying again later can help (a server that is down) or not (a wrong password,
// a refused address): permanent failures are not retried.
import type { SmtpSettings } from './mailer';

export interface MailFailure {
  /** What went wrong and how to fix it. */
  message: string;
  /** The server's words (or the network error), verbatim, for whoever runs the mail server. */
  serverAnswer: string | null;
  permanent: boolean;
  /**
   * The mail server itself is the problem (unreachable, login refused, TLS, busy), so any other
   * message fails the same way; false when only this message or its recipient was refused.
   */
  transport: boolean;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
  rejected?: string[];
  cause?: unknown;
}

const TLS_HINT =
  'Port 465 uses TLS, ports 587 and 25 use STARTTLS: choose the security that matches the port.';

export function explainSmtpError(
  error: unknown,
  s: Pick<SmtpSettings, 'host' | 'port'>,
): MailFailure {
  const e = (error ?? {}) as SmtpError;
  const where = `${s.host}:${s.port}`;
  const answer = e.response ?? e.message ?? null;
  const text = `${e.message ?? ''} ${e.response ?? ''}`;
  const sysCode = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET)\b/.exec(
    text,
  )?.[1];

  if (e.code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534) {
    return {
      message: `Authentication failed: the mail server refused the user name or password. Check the user and password in the email settings (some providers need an app password).`,
      serverAnswer: answer,
      permanent: true,
      transport: true,
    };
  }
  if (e.code === 'ENOAUTH') {
    return {
      message: `The mail server needs a user name and password. Enter them in the email settings.`,
      serverAnswer: answer,
      permanent: true,
      transport: true,
    };
  }
  if (e.code === 'ETLS' || /SSL|TLS|certificate|wrong version number|self.signed/i.test(text)) {
    return {
      message: `The secure (TLS) connection to ${where} failed. ${TLS_HINT} A server with a self-signed or expired certificate must be fixed on the server.`,
      serverAnswer: answer,
      permanent: true,
      transport: true,
    };
  }
  if (e.code === 'EENVELOPE' || (e.responseCode !== undefined && e.responseCode >= 550)) {
    const who = e.rejected?.length ? ` (${e.rejected.join(', ')})` : '';
    const permanent = e.responseCode === undefined || e.responseCode >= 500;
    return {
      message: `The mail server refused the message or its recipient${who}. Check the recipient's address and that the "from" address is one the server lets this account send as.`,
      serverAnswer: answer,
      permanent,
      transport: false,
    };
  }
  if (sysCode === 'ENOTFOUND' || sysCode === 'EAI_AGAIN' || e.code === 'EDNS') {
    return {
      message: `The mail server's name "${s.host}" could not be found. Check the host in the email settings.`,
      serverAnswer: answer,
      permanent: false,
      transport: true,
    };
  }
  if (sysCode === 'ECONNREFUSED') {
    return {
      message: `Nothing answers at ${where} (connection refused). Check the host and port, and that the mail server is running.`,
      serverAnswer: answer,
      permanent: false,
      transport: true,
    };
  }
  if (e.code === 'ETIMEDOUT' || sysCode === 'EHOSTUNREACH' || sysCode === 'ENETUNREACH') {
    return {
      message: `The mail server at ${where} cannot be reached or did not answer in time. Check the host, the port and that a firewall lets this computer reach it.`,
      serverAnswer: answer,
      permanent: false,
      transport: true,
    };
  }
  if (e.responseCode !== undefined && e.responseCode >= 500) {
    return {
      message: `The mail server refused the message: ${answer ?? e.responseCode}.`,
      serverAnswer: answer,
      permanent: true,
      transport: false,
    };
  }
  if (e.responseCode !== undefined && e.responseCode >= 400) {
    return {
      message: `The mail server is busy or limiting this account; the message will be tried again.`,
      serverAnswer: answer,
      permanent: false,
      transport: true,
    };
  }
  return {
    message: `Sending failed at ${where}: ${e.message ?? String(error)}. It will be tried again.`,
    serverAnswer: answer,
    permanent: false,
    transport: true,
  };
}
