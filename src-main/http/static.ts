// Serves the built renderer (out/renderer) to browsers: the headless service's admin UI.
import { createReadStream, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './security';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

async function fileAt(path: string): Promise<Stats | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

/**
 * A request handler for the static UI with an SPA fallback: a path without a file extension that
 * names no file gets index.html (the client-side router handles it); a missing asset is a 404,
 * so a stale tab asking for an old hashed bundle fails loudly instead of getting HTML as JS.
 */
// Vite writes index.html with relative asset paths (./assets/...), which the desktop app needs
// to load it from a file. A browser opening a deep link (/sessions/review, a reload on a station's
// tab) would resolve them under that path and get a blank page: <base href="/"> roots them.
async function indexHtml(file: string): Promise<Buffer> {
  const html = await readFile(file, 'utf8');
  return Buffer.from(
    /<base\s/i.test(html) ? html : html.replace(/<head>/i, '<head>\n    <base href="/" />'),
  );
}

export function createStaticHandler(rootDir: string) {
  const root = resolve(rootDir);
  const indexFile = join(root, 'index.html');

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'Method not allowed');
      return;
    }
    let pathname: string;
    try {
      // Not `new URL()`: it would silently resolve '..' segments, hiding the probe below.
      pathname = decodeURIComponent((req.url ?? '/').split(/[?#]/)[0] ?? '/');
    } catch {
      send(res, 400, 'Bad request');
      return;
    }
    // Refuse rather than normalise: a request containing '..' segments, NUL or backslashes is
    // never made by our UI, only by someone probing for files outside the root.
    if (
      !pathname.startsWith('/') ||
      pathname.includes('\0') ||
      pathname.includes('\\') ||
      pathname.split('/').includes('..')
    ) {
      send(res, 400, 'Bad request');
      return;
    }
    let file = resolve(root, '.' + pathname);
    if (file !== root && !file.startsWith(root + sep)) {
      send(res, 400, 'Bad request');
      return;
    }
    let stats = file === root ? null : await fileAt(file);
    if (!stats) {
      if (extname(pathname) !== '' && pathname !== '/') {
        send(res, 404, 'Not found');
        return;
      }
      file = indexFile;
      stats = await fileAt(file);
      if (!stats) {
        send(res, 503, 'The admin UI is not built. Run `npm run build` (or `npm run server`).');
        return;
      }
    }

    const ext = extname(file).toLowerCase();
    const headers: Record<string, string | number> = {
      ...SECURITY_HEADERS,
      'Content-Type': mimeType(file),
      // Vite's output under assets/ carries a content hash in its name; index.html must be
      // revalidated so a new version's bundles are picked up after an upgrade.
      'Cache-Control': pathname.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
      'Last-Modified': stats.mtime.toUTCString(),
    };
    const gzip =
      COMPRESSIBLE.has(ext) &&
      stats.size > 1024 &&
      /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) {
      headers['Content-Encoding'] = 'gzip';
      headers['Vary'] = 'Accept-Encoding';
    } else if (file !== indexFile) {
      headers['Content-Length'] = stats.size;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (file === indexFile) {
      const html = await indexHtml(file);
      res.end(gzip ? gzipSync(html) : html);
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    if (gzip) stream.pipe(createGzip()).pipe(res);
    else stream.pipe(res);
  };
}
