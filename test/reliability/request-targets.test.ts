// Malformed HTTP request targets, as raw TCP, on both ports: plain requests and WebSocket
// upgrades whose path has broken percent-encoding, control characters, absolute forms, huge
// lengths. Each must get an HTTP error or a closed connection — never a process exit (a URIError
// from decodeURIComponent in a request handler once ended the service, issue 7 #8).
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { setupAndLogin } from './support/api';
import { ReliableCharger } from './support/charger';
import { isAlive, serviceFor } from './support/service';
import { waitUntil } from './support/wait';

const TARGETS = [
  '/ocpp/%E0%A4%A',
  '/ocpp/%',
  '/ocpp/%ZZ',
  '/ocpp/a%00b',
  '/ocpp/%C0%AF',
  '/ocpp/..%2F..%2Fetc%2Fpasswd',
  '/ocpp/' + 'A'.repeat(20_000),
  '/ocpp/%E0%A4%A/',
  '/ocpp//',
  '/files/diagnostics/%E0%A4%A/%E0%A4%A',
  '/files/firmware/%/%',
  '/api%E0%A4%A',
  '/%E0%A4%A',
  '/assets/%E0%A4%A',
  'http://[',
  '*',
  '//%E0',
];

/** Sends one raw request; resolves with the status line, or how the connection ended. */
function probe(port: number, target: string, upgrade: boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('no answer in 5 s');
    }, 5_000);
    socket.on('connect', () => {
      const headers = upgrade
        ? 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n'
        : '';
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
    });
    socket.on('data', (d) => {
      answer += String(d);
      if (answer.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer.split('\r\n')[0] ?? '');
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer.split('\r\n')[0] || 'closed');
    });
  });
}

describe('malformed HTTP request targets', () => {
  it('are refused on both ports and never end the process', async () => {
    const svc = await serviceFor();
    const { api, siteId } = await setupAndLogin(svc.apiUrl);
    await api.ok('station-create', { siteId, name: 'After', identity: 'AFTER-1' });
    api.close();
    const ports = {
      ocpp: Number(new URL(svc.ocppBaseUrl).port),
      admin: Number(new URL(svc.httpUrl).port),
    };
    const answers: string[] = [];
    for (const [name, port] of Object.entries(ports)) {
      for (const target of TARGETS) {
        for (const upgrade of [true, false]) {
          const answer = await probe(port, target, upgrade);
          answers.push(`${name} ${upgrade ? 'upgrade' : 'GET'} ${target.slice(0, 40)} → ${answer}`);
          expect(
            isAlive(svc),
            `the service died after ${answers.at(-1)}:\n${svc.output().slice(-2_000)}`,
          ).toBe(true);
        }
      }
    }
    console.info(`[reliability] request targets:\n  ${answers.join('\n  ')}`);
    // Bad input is the client's fault: a 4xx (or a closed connection), never a server error.
    expect(answers.filter((a) => / 5\d\d /.test(a))).toEqual([]);
    // Still serving chargers afterwards.
    const charger = new ReliableCharger({ identity: 'AFTER-1', baseUrl: () => svc.ocppBaseUrl });
    try {
      await waitUntil(() => charger.connected || !isAlive(svc), 'a charger to boot afterwards');
      expect(isAlive(svc), `the service died:\n${svc.output().slice(-2_000)}`).toBe(true);
    } finally {
      charger.close();
    }
  });
});
