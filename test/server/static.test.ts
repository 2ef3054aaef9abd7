// The admin UI as a browser receives it from the headless service.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-main/http/security';
import { APP_JS, INDEX_HTML, startInProcess } from './support';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with the path sent exactly as given (fetch would normalise '..' away). */
function rawGet(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static admin UI server', () => {
  it('serves index.html with the strict security headers', async () => {
    const { service } = await startInProcess();
    const res = await rawGet(service.httpUrl, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body.toString()).toBe(INDEX_HTML);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain(CONTENT_SECURITY_POLICY);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('sends the same CSP as the <meta> in src-renderer/index.html', () => {
    const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves hashed assets with their MIME type, long caching and gzip when asked', async () => {
    const { service } = await startInProcess();
    const plain = await rawGet(service.httpUrl, '/assets/index-abc123.js');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toContain('immutable');
    expect(plain.body.toString()).toBe(APP_JS);

    const zipped = await rawGet(service.httpUrl, '/assets/index-abc123.js', {
      'accept-encoding': 'gzip, deflate',
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe(APP_JS);

    const svg = await rawGet(service.httpUrl, '/assets/logo.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');

    const head = await rawGet(service.httpUrl, '/assets/index-abc123.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('answers client-side routes with index.html but a missing asset with 404', async () => {
    const { service } = await startInProcess();
    const route = await rawGet(service.httpUrl, '/sites/3/stations?tab=live');
    expect(route.status).toBe(200);
    expect(route.body.toString()).toBe(INDEX_HTML);

    const missing = await rawGet(service.httpUrl, '/assets/index-old999.js');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).not.toContain('<title>');
  });

  it('deep links load the app: relative asset paths resolve from the root', async () => {
    // Vite builds index.html with ./assets/... (the desktop app loads it from a file); a browser
    // opening /sessions/review would ask for /sessions/assets/... and get a blank page.
    const { service, rendererDir } = await startInProcess();
    writeFileSync(
      join(rendererDir, 'index.html'),
      '<!doctype html><html><head><script type="module" src="./assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>',
    );
    for (const path of ['/', '/sessions', '/sessions/review', '/stations/7/config']) {
      const page = await rawGet(service.httpUrl, path);
      const html = page.body.toString();
      const base = /<base href="([^"]*)"/.exec(html)?.[1];
      const pageUrl = new URL(path, service.httpUrl);
      const src = /src="([^"]*)"/.exec(html)?.[1] ?? '';
      const script = new URL(src, base === undefined ? pageUrl : new URL(base, pageUrl));
      const res = await rawGet(service.httpUrl, script.pathname);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.body.toString()).toBe(APP_JS);
    }
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00index.html',
  ])('refuses to serve files outside the UI folder: %s', async (path) => {
    const { service } = await startInProcess();
    const res = await rawGet(service.httpUrl, path);
    expect(res.status).toBe(400);
    expect(res.body.toString()).not.toContain('TOP SECRET');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const { service } = await startInProcess();
    const res = await rawGet(service.httpUrl, '/', {}, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD');
  });
});
