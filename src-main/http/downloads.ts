// GET /download/...: the streamed downloads of the headless service (downloads/service.ts).
// - /download/t/<ticket>: a single-use ticket from `download-ticket-create` (what the UI uses:
//   a same-origin link the browser streams straight to disk);
// - /download/<kind>?<params> with `Authorization: Bearer <session token>` (scripts).
// Checked like the API socket: Origin must be ours and, on loopback, Host too (DNS rebinding);
// a cross-site fetch is refused. Without a valid session: 401 and a one-line body, nothing else
// (not whether the file exists). Streams with backpressure; a client that goes away ends it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Core } from '../core';
import { isRefusal, type DownloadBody, type DownloadRefusal } from '../downloads/service';
import type { Logger } from '../platform/logger';
import { downloadRequestSchema } from '../../src-shared/api/methods/downloads';
import { isAllowedOrigin } from './api-socket';
import { SECURITY_HEADERS } from './security';

export const DOWNLOAD_PREFIX = '/download/';
const TICKET_PATH = /^\/download\/t\/([A-Za-z0-9_-]{16,64})$/;

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(message + '\n');
}

/** The request in the query string, for the session-token form (numbers where numbers go). */
function requestFromQuery(kind: string, params: URLSearchParams): unknown {
  const num = (k: string) => (params.has(k) ? Number(params.get(k)) : undefined);
  const str = (k: string) => params.get(k) ?? undefined;
  switch (kind) {
    case 'audit-csv':
      return {
        kind,
        filter: Object.fromEntries(
          Object.entries({
            from: num('from'),
            to: num('to'),
            userId: num('userId'),
            method: str('method'),
            text: str('text'),
          }).filter(([, v]) => v !== undefined),
        ),
      };
    case 'backup':
      return { kind, fileName: str('fileName') };
    case 'alarms-csv':
      return {
        kind,
        view: str('view'),
        filter: Object.fromEntries(
          Object.entries({
            siteId: num('siteId'),
            stationId: num('stationId'),
            severity: str('severity'),
            rule: str('rule'),
            text: str('text'),
            from: num('from'),
            to: num('to'),
            kind: str('event'),
          }).filter(([, v]) => v !== undefined),
        ),
      };
    case 'residents-csv':
      return { kind, siteId: num('siteId') };
    default:
      return { kind };
  }
}

export function createDownloadRoute(opts: { core: Core; logger: Logger; listenHost: string }) {
  const { core, logger, listenHost } = opts;

  function open(req: IncomingMessage, url: URL): DownloadBody | DownloadRefusal | null {
    const ticket = TICKET_PATH.exec(url.pathname)?.[1];
    if (ticket) return core.services.downloads.redeem(ticket);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    if (!token) return { status: 401, message: 'Log in again to download this.' };
    const kind = url.pathname.slice(DOWNLOAD_PREFIX.length);
    const parsed = downloadRequestSchema.safeParse(requestFromQuery(kind, url.searchParams));
    if (!parsed.success) {
      // Who may ask is checked before saying what is wrong with the question.
      if (!core.services.auth.resolveSession(token, core.services.clock.now())) {
        return { status: 401, message: 'Log in again to download this.' };
      }
      return null;
    }
    return core.services.downloads.openWithSession(token, parsed.data);
  }

  /** Handles the request if it is a download (true), else leaves it to the next handler. */
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return false; // an unparsable target (`http://[`) is no download: the UI handler says 400
    }
    if (!url.pathname.startsWith(DOWNLOAD_PREFIX)) return false;
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      refuse(res, 405, 'Downloads are GET requests.');
      return true;
    }
    if (
      !isAllowedOrigin(req.headers.origin, req.headers.host, listenHost) ||
      req.headers['sec-fetch-site'] === 'cross-site'
    ) {
      logger.warn('download refused: foreign origin', {
        origin: req.headers.origin,
        host: req.headers.host,
      });
      refuse(res, 403, 'Downloads are only for the StrataCharge page itself.');
      return true;
    }
    const body = open(req, url);
    if (body === null) {
      refuse(res, 400, 'This is not a download StrataCharge knows.');
      return true;
    }
    if (isRefusal(body)) {
      refuse(res, body.status, body.message);
      return true;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': body.contentType,
      'Content-Disposition': contentDisposition(body.fileName),
      'Cache-Control': 'no-store',
      ...(body.size !== null ? { 'Content-Length': String(body.size) } : {}),
    });
    try {
      await pipeline(body.stream, res);
    } catch (cause) {
      // The client went away (or the disk failed mid-file): the stream is closed, nothing to send.
      logger.warn('download interrupted', {
        path: url.pathname.replace(TICKET_PATH, '/download/t/…'),
        cause,
      });
      res.destroy();
    }
    return true;
  };
}
