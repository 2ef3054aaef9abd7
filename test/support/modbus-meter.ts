// A real Modbus TCP meter for tests: jsmodbus's server on 127.0.0.1 (port 0 unless given), its
// registers laid out as the shipped maps say. `stop()` also drops the open connections (a meter
// that lost power), `start(port)` brings it back on the same port.
import { createServer, type Server, type Socket } from 'node:net';
import { ModbusTCPServer } from 'jsmodbus';

export class TestMeter {
  readonly input = Buffer.alloc(512);
  readonly holding = Buffer.alloc(512);
  port = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  async start(port = this.port): Promise<this> {
    const server = createServer();
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => this.sockets.delete(s));
    });
    new ModbusTCPServer(server, { input: this.input, holding: this.holding });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const a = server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Eastron SDM630: float32 high word first in input registers 0x0006/0x0008/0x000A. */
  sdm630(amps: [number, number, number]): void {
    amps.forEach((a, i) => this.input.writeFloatBE(a, (0x0006 + 2 * i) * 2));
  }

  /** Carlo Gavazzi EM24: INT32 low word first, mA, in holding registers 0x000C/0x000E/0x0010. */
  em24(amps: [number, number, number]): void {
    amps.forEach((a, i) => {
      const raw = Math.round(a * 1000);
      const at = (0x000c + 2 * i) * 2;
      this.holding.writeUInt16BE(raw & 0xffff, at);
      this.holding.writeUInt16BE((raw >>> 16) & 0xffff, at + 2);
    });
  }
}
