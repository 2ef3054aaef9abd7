// The small HTTP endpoint on the OCPP port that chargers use for firmware downloads and
// diagnostics uploads (OCPP 1.6 UpdateFirmware / GetDiagnostics give them a URL). The port listens
// on the building LAN, so every request is untrusted: a malformed one gets a 4xx and never
// reaches an exception outside this handler, and an upload URL works once, for a short time.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/open';
import { diagnosticsFiles, ocppFileTokens } from '../db/schema';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** A firmware URL may be fetched several times (retries, a retrieveDate in the future). */
export const FIRMWARE_TOKEN_MS = 7 * 86_400_000;
/**
 * A diagnostics upload URL: chargers upload at once after GetDiagnostics (a few minutes for a big
 * log over a slow link); the URL is good for one successful upload within 30 minutes.
 */
export const DIAGNOSTICS_TOKEN_MS = 30 * 60_000;

export interface FileEndpointDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  dataDir: string;
}

export function createFileEndpoint({ db, clock, logger, dataDir }: FileEndpointDeps) {
  /** Upload tokens with a request in progress: a second upload on the same URL is refused. */
  const uploading = new Set<string>();

  function reply(res: ServerResponse, status: number) {
    if (!res.headersSent) res.statusCode = status;
    res.end();
  }

  /** Handles `/files/...`; false = not ours or no such file (the caller answers 404). */
  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      reply(res, 400);
      return true;
    }
    const m = /^\/files\/(firmware|diagnostics)\/([A-Za-z0-9_-]+)(?:\/([^/]+))?$/.exec(pathname);
    if (!m) return false;
    const [, kind, token = '', name] = m;
    const row = db
      .select()
      .from(ocppFileTokens)
      .where(and(eq(ocppFileTokens.token, token), gt(ocppFileTokens.expiresAt, clock.now())))
      .get();
    if (!row || row.kind !== kind) return false;
    if (kind === 'firmware') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (!row.storedPath || !existsSync(row.storedPath)) return false;
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Length', statSync(row.storedPath).size);
      if (req.method === 'HEAD') res.end();
      else createReadStream(row.storedPath).pipe(res);
      return true;
    }
    if (req.method !== 'PUT' && req.method !== 'POST') return false;
    // The name is the charger's (percent-encoded); a malformed escape is a bad request, not a
    // crash (decodeURIComponent throws URIError).
    let named: string | null = null;
    if (name !== undefined) {
      try {
        named = decodeURIComponent(name);
      } catch {
        reply(res, 400);
        return true;
      }
    }
    if (uploading.has(token)) {
      reply(res, 409);
      return true;
    }
    uploading.add(token);
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => uploading.delete(token);
    req.on('error', done);
    req.on('close', done);
    req.on('data', (c: Buffer) => {
      if (res.writableEnded) return;
      size += c.length;
      if (size > MAX_UPLOAD_BYTES) {
        reply(res, 413);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      try {
        store(req, row, named, Buffer.concat(chunks));
        reply(res, 201);
      } catch (cause) {
        logger.error('diagnostics upload failed', { cause, stationId: row.stationId });
        reply(res, 500);
      } finally {
        done();
      }
    });
    return true;
  }

  function store(
    req: IncomingMessage,
    row: typeof ocppFileTokens.$inferSelect,
    named: string | null,
    raw: Buffer,
  ) {
    const now = clock.now();
    let body = raw;
    let fileName = named ?? row.fileName ?? `diagnostics-${now}.log`;
    const ct = req.headers['content-type'] ?? '';
    const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(ct)?.[1];
    if (boundary) {
      const part = extractMultipartFile(body, boundary);
      if (part) {
        body = part.content;
        if (part.fileName) fileName = part.fileName;
      }
    }
    fileName = fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || 'diagnostics';
    const dir = join(dataDir, 'diagnostics');
    mkdirSync(dir, { recursive: true });
    const storedPath = join(
      dir,
      `${row.stationId}-${now}-${randomBytes(4).toString('hex')}-${fileName}`,
    );
    writeFileSync(storedPath, body);
    db.transaction((t) => {
      t.insert(diagnosticsFiles)
        .values({
          stationId: row.stationId,
          fileName,
          storedPath,
          sizeBytes: body.length,
          receivedAt: now,
        })
        .run();
      // Single use: the URL is spent once a file has been received on it.
      t.update(ocppFileTokens)
        .set({ expiresAt: now })
        .where(eq(ocppFileTokens.token, row.token))
        .run();
    });
    logger.info('diagnostics uploaded', { stationId: row.stationId, fileName, bytes: body.length });
  }

  function newToken(
    kind: 'firmware' | 'diagnostics',
    stationId: number,
    storedPath: string | null,
    fileName: string | null,
  ) {
    const token = randomBytes(18).toString('base64url');
    const now = clock.now();
    db.insert(ocppFileTokens)
      .values({
        token,
        kind,
        stationId,
        storedPath,
        fileName,
        createdAt: now,
        expiresAt: now + (kind === 'firmware' ? FIRMWARE_TOKEN_MS : DIAGNOSTICS_TOKEN_MS),
      })
      .run();
    return token;
  }

  return { handle, newToken };
}

function extractMultipartFile(
  body: Buffer,
  boundary: string,
): { fileName: string | null; content: Buffer } | null {
  const delim = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delim);
  while (start !== -1) {
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) return null;
    const headers = body.subarray(start, headerEnd).toString('utf8');
    const next = body.indexOf(delim, headerEnd);
    if (next === -1) return null;
    if (/filename=/i.test(headers)) {
      const fileName = /filename="?([^";\r\n]+)"?/i.exec(headers)?.[1] ?? null;
      return { fileName, content: body.subarray(headerEnd + 4, next - 2) };
    }
    start = next;
  }
  return null;
}
