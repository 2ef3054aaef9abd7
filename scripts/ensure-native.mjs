#!/usr/bin/env node
// Makes sure better-sqlite3's native module is built for the Node that runs this script.
// `.npmrc` sets ignore-scripts, so `npm ci` does not compile it; this does, once (about a
// minute from source where its prebuilt binaries cannot be downloaded), and again only when
// the module does not load (another Node ABI, or `npm run package` rebuilt it for Electron).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function loads() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return true;
  } catch (cause) {
    return cause;
  }
}

const first = loads();
if (first === true) process.exit(0);
console.log(
  `better-sqlite3 is not built for Node ${process.version} (${String(first.message).split('\n')[0]}); building it…`,
);
const result = spawnSync('npm', ['rebuild', 'better-sqlite3', '--ignore-scripts=false'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (result.status !== 0 || loads() !== true) {
  console.error(
    'Building better-sqlite3 failed. It needs Python 3, make and a C++ compiler ' +
      '(Debian: apt-get install -y python3 make g++), or network access to its prebuilt binaries.',
  );
  process.exit(1);
}
console.log('better-sqlite3 built.');
