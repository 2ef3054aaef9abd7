// In-process service for the transport tests: the real runServer on port 0 with a temp data dir
// and a tiny fake renderer build, plus a minimal API client over a real WebSocket.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { runServer, type RunningService } from '../../src-main/http/service';
import { createMemoryLogger } from '../../src-main/platform/logger';
import type { CoreEvent, ServerMessage } from '../../src-shared/api/events';
import type { Result } from '../../src-shared/api/result';

export const INDEX_HTML =
  '<!doctype html><title>StrataCharge test build</title><div id="root"></div>';
export const APP_JS = 'console.log("app");\n'.repeat(200);

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `stratacharge-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A stand-in for out/renderer: index.html, one hashed asset, and a secret beside the root. */
export function fakeRendererBuild(): { rendererDir: string; secretFile: string } {
  const base = tempDir('renderer');
  const rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(rendererDir, 'assets', 'index-abc123.js'), APP_JS);
  writeFileSync(
    join(rendererDir, 'assets', 'logo.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg"/>',
  );
  const secretFile = join(base, 'secret.txt');
  writeFileSync(secretFile, 'TOP SECRET');
  return { rendererDir, secretFile };
}

export class Capture {
  text = '';
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

export interface TestService {
  service: RunningService;
  dataDir: string;
  rendererDir: string;
  secretFile: string;
  stdout: Capture;
  logger: ReturnType<typeof createMemoryLogger>;
}

export async function startInProcess(args: string[] = []): Promise<TestService> {
  const dataDir = tempDir('data');
  const { rendererDir, secretFile } = fakeRendererBuild();
  const stdout = new Capture();
  const stderr = new Capture();
  const logger = createMemoryLogger();
  const { exitCode, service } = await runServer(
    ['--data-dir', dataDir, '--http-port', '0', '--ocpp-port', '0', ...args],
    {},
    { rendererDir, logger, stdout, stderr },
  );
  if (service === null) throw new Error(`service did not start (exit ${exitCode}): ${stderr.text}`);
  onTestFinished(() => service.close());
  return { service, dataDir, rendererDir, secretFile, stdout, logger };
}

/** Polls until `check` returns a value (not undefined), failing after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface ApiClient {
  ws: WebSocket;
  /** Every message received, in order. */
  messages: ServerMessage[];
  events(): CoreEvent[];
  call(method: string, input?: unknown): Promise<Result<unknown>>;
  sendRaw(data: string | Buffer): void;
  close(): void;
}

/** Opens the API socket like the UI does (same-origin Origin header unless told otherwise). */
export async function openApi(
  service: RunningService,
  opts: { origin?: string | null } = {},
): Promise<ApiClient> {
  const origin = opts.origin === undefined ? service.httpUrl.replace(/\/$/, '') : opts.origin;
  const ws = new WebSocket(service.apiUrl, origin === null ? {} : { origin });
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as ServerMessage));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`handshake refused: HTTP ${res.statusCode}`)),
    );
  });
  onTestFinished(() => ws.close());
  let nextId = 1;
  return {
    ws,
    messages,
    events: () => messages.flatMap((m) => ('event' in m ? [m.event] : [])),
    async call(method, input = {}) {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, input }));
      return waitFor(
        () =>
          messages.find(
            (m): m is Extract<ServerMessage, { id: number }> => 'id' in m && m.id === id,
          )?.result,
        `the answer to ${method}`,
      );
    },
    sendRaw: (data) => ws.send(data),
    close: () => ws.close(),
  };
}
