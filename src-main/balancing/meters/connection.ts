// One Modbus TCP connection to a meter (jsmodbus client over a node socket), kept open between
// readings and re-opened after a drop. Every failure is an answer in words, never a throw: a
// meter on the building LAN goes away (power cut, gateway rebooted), and the service must not.
import { Socket } from 'node:net';
import { ModbusTCPClient } from 'jsmodbus';
import type { RegisterMap } from '../../../src-shared/balancing/register-maps';
import { blockOf, decodeReading, type PerPhase3 } from './decode';

export interface MeterAddress {
  host: string;
  port: number;
  unitId: number;
}

export type MeterRead =
  | { ok: true; amps: PerPhase3; watts: PerPhase3 | null }
  | { ok: false; kind: 'no-answer' | 'refused' | 'exception' | 'garbage'; message: string };

const EXCEPTIONS: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'device failure',
  10: 'gateway path unavailable',
  11: 'the gateway got no answer from the meter',
};

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export class MeterConnection {
  private socket: Socket | null = null;
  private client: ModbusTCPClient | null = null;
  private opening: Promise<void> | null = null;

  constructor(
    private readonly addr: MeterAddress,
    private readonly timeoutMs: number,
  ) {}

  get where(): string {
    return `${this.addr.host}:${this.addr.port}`;
  }

  private noAnswer(): MeterRead {
    return {
      ok: false,
      kind: 'no-answer',
      message: `No answer from ${this.where} unit ${this.addr.unitId} within ${seconds(this.timeoutMs)} — check the address, the unit id and that Modbus TCP is enabled on the meter.`,
    };
  }

  private open(): Promise<void> {
    if (this.opening) return this.opening;
    const socket = new Socket();
    // A dropped socket only ends this connection; the next reading opens a new one.
    socket.on('error', () => this.drop(socket));
    socket.on('close', () => this.drop(socket));
    this.socket = socket;
    this.client = new ModbusTCPClient(socket, this.addr.unitId, this.timeoutMs);
    this.opening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('timeout'));
        this.drop(socket);
      }, this.timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    // Handled by read(); a rejection nobody awaits must not become an unhandled one.
    this.opening.catch(() => undefined);
    socket.connect({ host: this.addr.host, port: this.addr.port });
    return this.opening;
  }

  private drop(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.client = null;
    this.opening = null;
    socket.destroy();
  }

  /** Reads the map's block once: per-phase amps, or why not in words. */
  async read(map: RegisterMap): Promise<MeterRead> {
    try {
      await this.open();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED')
        return {
          ok: false,
          kind: 'refused',
          message: `${this.where} refused the connection — check the port and that Modbus TCP is enabled on the meter.`,
        };
      return this.noAnswer();
    }
    const client = this.client;
    const socket = this.socket;
    if (!client || !socket) return this.noAnswer();
    const { start, count } = blockOf(map);
    let timer: NodeJS.Timeout | undefined;
    try {
      const request =
        map.functionCode === 4
          ? client.readInputRegisters(start, count)
          : client.readHoldingRegisters(start, count);
      // jsmodbus has its own timeout; this one also covers a request stuck behind a dead socket.
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), this.timeoutMs + 100);
      });
      const answer = await Promise.race([request, timeout]);
      if (!answer) {
        this.drop(socket);
        return this.noAnswer();
      }
      const decoded = decodeReading(map, Buffer.from(answer.response.body.valuesAsBuffer));
      if (!decoded.ok)
        return {
          ok: false,
          kind: 'garbage',
          message: `The meter at ${this.where} answered, but ${decoded.reason} — check the meter model (its register map) and unit id.`,
        };
      return decoded;
    } catch (e) {
      const failure = e as { err?: string; message?: string } | null;
      if (failure?.err === 'ModbusException') {
        const code = Number(/Code (\d+)/.exec(failure.message ?? '')?.[1] ?? 0);
        return {
          ok: false,
          kind: 'exception',
          message: `The meter at ${this.where} refused the reading (Modbus exception ${code}${EXCEPTIONS[code] ? `: ${EXCEPTIONS[code]}` : ''}) — check the meter model and unit id.`,
        };
      }
      this.drop(socket);
      return this.noAnswer();
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    if (this.socket) this.drop(this.socket);
  }
}
