#!/usr/bin/env node
// Renders resources/icon.svg into the icons electron-builder and the tray use. Run after editing
// the SVG; the outputs are committed (packaging machines need no ImageMagick).
// Needs rsvg-convert and ImageMagick (`apt-get install -y librsvg2-bin imagemagick`).
//   icon.png   512x512 (Linux AppImage/deb, window icon, and electron-builder's fallback)
//   icon.ico   16..256 (Windows NSIS)
//   icon.icns  128/256/512 PNG entries (macOS dmg), assembled here: ImageMagick cannot write ICNS
//   tray.png / tray@2x.png  16/32 px for the tray
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');
const svg = join(dir, 'icon.svg');
const tmp = mkdtempSync(join(tmpdir(), 'icons-'));

// rsvg renders gradients and strokes faithfully; ImageMagick's built-in SVG reader does not.
const render = (size, out) =>
  execFileSync('rsvg-convert', [
    '--width',
    String(size),
    '--height',
    String(size),
    '--output',
    out,
    svg,
  ]);

render(512, join(dir, 'icon.png'));
render(16, join(dir, 'tray.png'));
render(32, join(dir, 'tray@2x.png'));

const icoSizes = [16, 24, 32, 48, 64, 128, 256];
const icoParts = icoSizes.map((s) => {
  const f = join(tmp, `ico-${s}.png`);
  render(s, f);
  return f;
});
execFileSync('convert', [...icoParts, join(dir, 'icon.ico')]);

// ICNS: 'icns' + total length, then (type, length incl. 8-byte header, PNG data) per entry.
const icnsTypes = [
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
];
const entries = icnsTypes.map(([type, size]) => {
  const f = join(tmp, `icns-${size}.png`);
  render(size, f);
  const png = readFileSync(f);
  const head = Buffer.alloc(8);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(png.length + 8, 4);
  return Buffer.concat([head, png]);
});
const body = Buffer.concat(entries);
const header = Buffer.alloc(8);
header.write('icns', 0, 'ascii');
header.writeUInt32BE(body.length + 8, 4);
writeFileSync(join(dir, 'icon.icns'), Buffer.concat([header, body]));

rmSync(tmp, { recursive: true, force: true });
console.log(`icons written to ${dir}`);
