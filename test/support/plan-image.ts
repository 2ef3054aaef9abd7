// Real PNG files for floor-plan tests: a pale car park with bays drawn as grey lines, built with
// zlib (no image library) so a test can choose the size and damage the bytes it uploads.
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A width × height RGB PNG: bay lines every 60 px, a driving lane across the middle. */
export function planPng(width: number, height: number, opts: { noise?: boolean } = {}): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    // Noise defeats compression: how a test makes a file of a chosen (large) size.
    if (opts.noise) {
      randomBytes(width * 3).copy(row, 1);
      rows.push(row);
      continue;
    }
    for (let x = 0; x < width; x++) {
      const lane = Math.abs(y - height / 2) < height / 8;
      const line = !lane && (x % 60 < 3 || y % Math.max(4, Math.floor(height / 4)) < 3);
      const v = lane ? 225 : line ? 140 : 245;
      row.fill(v, 1 + x * 3, 4 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
