#!/usr/bin/env node
// Makes sure better-sqlite3's native module is built for the Node that runs this script.
// `.npmrc` sets ignore-scripts, so `npm ci` does not compile it; this does, once (about three
// minutes from source on two cores where its prebuilt binaries cannot be downloaded, with a
// progress line every 15 s so nobody thinks it hangs), and again only when the module does not
// load (another Node ABI, or `npm run package` rebuilt it for Electron).
import { spawn } from 'node:child_process';
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
  `better-sqlite3 is not built for Node ${process.version} (${String(first.message).split('\n')[0]}); building it (up to about 3 minutes when it compiles from source)…`,
);
const started = Date.now();
const progress = setInterval(() => {
  const s = Math.round((Date.now() - started) / 1000);
  console.log(`  still building better-sqlite3… ${Math.floor(s / 60)} min ${s % 60} s`);
}, 15_000);
const status = await new Promise((resolve) => {
  const child = spawn('npm', ['rebuild', 'better-sqlite3', '--ignore-scripts=false'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  child.on('error', () => resolve(1));
  child.on('exit', (code) => resolve(code ?? 1));
});
clearInterval(progress);
if (status !== 0 || loads() !== true) {
  console.error(
    'Building better-sqlite3 failed. It needs Python 3, make and a C++ compiler ' +
      '(Debian: apt-get install -y python3 make g++), or network access to its prebuilt binaries.',
  );
  process.exit(1);
}
console.log(`better-sqlite3 built in ${Math.round((Date.now() - started) / 1000)} s.`);
