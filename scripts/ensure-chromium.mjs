#!/usr/bin/env node
// The end-to-end suite drives Debian's chromium (Playwright's own browser download is not
// reachable from the build machines). On a fresh Debian/Ubuntu machine where we are root, install
// it; anywhere else, say exactly what to do.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (process.env.CHROMIUM_PATH === undefined && isRoot && hasApt) {
  console.log(`${path} not found: installing Debian's chromium for the end-to-end tests…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install =
    update.status === 0 &&
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env,
    });
  if (install && install.status === 0 && existsSync(path)) process.exit(0);
}
console.error(
  `The end-to-end tests need Chromium at ${path}.\n` +
    '  Debian/Ubuntu: sudo apt-get install -y chromium\n' +
    '  Elsewhere: install Chromium or Chrome and set CHROMIUM_PATH=/path/to/the/binary',
);
process.exit(1);
