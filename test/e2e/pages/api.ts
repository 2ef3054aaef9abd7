// Seeds data through the service's own API from the test process (a Node WebSocket sends no
// Origin, like a script would): faster than clicking through dozens of dialogs when a test only
// needs volume, e.g. more audit entries than one page holds.
import WebSocket from 'ws';

export class ApiSession {
  private nextId = 1;
  private constructor(private readonly ws: WebSocket) {}

  static async open(apiUrl: string): Promise<ApiSession> {
    const ws = new WebSocket(apiUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new ApiSession(ws);
  }

  /** One call; throws unless the answer is ok (seeding must not fail silently). */
  async call<T = unknown>(method: string, input: unknown): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<{ ok: boolean; value?: unknown; error?: unknown }>((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const msg = JSON.parse(data.toString()) as { id?: number; result?: never };
        if (msg.id !== id) return;
        this.ws.off('message', onMessage);
        resolve(msg.result ?? { ok: false });
      };
      this.ws.on('message', onMessage);
    });
    this.ws.send(JSON.stringify({ id, method, input }));
    const result = await answer;
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
    return result.value as T;
  }

  close(): void {
    this.ws.close();
  }
}
