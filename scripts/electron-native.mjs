#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into node_modules/.electron-native/, leaving the Node
// build in node_modules/better-sqlite3 untouched (the tests and the headless service use that
// one). The desktop app loads the Electron build through createCore({ nativeBinding }).
//
// Run by `npm start` / `npm run dev`. `.npmrc` sets ignore-scripts, so `npm ci` neither downloads
// the Electron binary nor builds native modules: this script runs Electron's own installer first
// (which needs its release host), then needs Electron's headers or a prebuilt binary.
// The packaged app does not use this: `npm run package` runs `electron-builder install-app-deps`.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules');
const outDir = join(modules, '.electron-native');
const target = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'stamp.json');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const fail = (message) => {
  console.error(message);
  process.exit(1);
};

const electronPkg = join(modules, 'electron', 'package.json');
if (!existsSync(electronPkg)) fail('Electron is not installed: run `npm ci` first.');
const electronVersion = readJson(electronPkg).version;
const sqliteVersion = readJson(join(modules, 'better-sqlite3', 'package.json')).version;

// electron/install.js writes path.txt only after the binary was downloaded and unpacked.
const pathTxt = join(modules, 'electron', 'path.txt');
const electronBinary = () =>
  existsSync(pathTxt)
    ? join(modules, 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim())
    : null;
let binary = electronBinary();
if (binary === null || !existsSync(binary)) {
  console.log(`Downloading the Electron ${electronVersion} binary…`);
  const { ELECTRON_SKIP_BINARY_DOWNLOAD: _skip, ...env } = process.env;
  spawnSync(process.execPath, [join(modules, 'electron', 'install.js')], { stdio: 'inherit', env });
  binary = electronBinary();
}
if (binary === null || !existsSync(binary)) {
  fail(
    [
      'Electron binary not installed (its release host is unreachable): use `npm run server` instead —',
      'the same app, served to your browser at http://127.0.0.1:8080/.',
      'Rerun `npm start` on a machine that can reach the Electron release host to install it.',
    ].join('\n'),
  );
}

const stamp = {
  electron: electronVersion,
  betterSqlite3: sqliteVersion,
  platform: process.platform,
  arch: process.arch,
};
if (existsSync(target) && existsSync(stampFile)) {
  const old = readJson(stampFile);
  if (JSON.stringify(old) === JSON.stringify(stamp)) process.exit(0); // Up to date.
}

async function reachable(url) {
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(8000) });
    return res.ok || res.status === 302;
  } catch {
    return false;
  }
}

const headersUrl = 'https://electronjs.org/headers';
const githubUrl = 'https://github.com';
const [hasHeaders, hasGithub] = await Promise.all([
  reachable(`${headersUrl}/v${electronVersion}/SHASUMS256.txt`),
  reachable(githubUrl),
]);
if (!hasHeaders && !hasGithub) {
  fail(
    `Cannot build better-sqlite3 for Electron ${electronVersion}: neither Electron's headers ` +
      `(${headersUrl}) nor prebuilt binaries (${githubUrl}) are reachable.\n` +
      'Use `npm run server` instead, or connect to the internet once and rerun `npm start`.',
  );
}

// Build in a scratch copy so the Node build stays in place.
const work = join(outDir, 'work');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const copy = join(work, 'better-sqlite3');
cpSync(join(modules, 'better-sqlite3'), copy, {
  recursive: true,
  filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
});

const run = (cmd, args) =>
  spawnSync(cmd, args, {
    cwd: copy,
    stdio: 'inherit',
    shell: process.platform === 'win32',
    env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion },
  });
const bin = (name) => join(modules, '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}…`);
let built = false;
if (hasGithub && existsSync(bin('prebuild-install'))) {
  built =
    run(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion]).status ===
    0;
}
if (!built && hasHeaders) {
  built =
    run(bin('node-gyp'), [
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      `--dist-url=${headersUrl}`,
      '--runtime=electron',
    ]).status === 0;
}
const produced = join(copy, 'build', 'Release', 'better_sqlite3.node');
if (!built || !existsSync(produced))
  fail('Building better-sqlite3 for Electron failed (see above).');

copyFileSync(produced, target);
writeFileSync(stampFile, JSON.stringify(stamp, null, 2));
rmSync(work, { recursive: true, force: true });
console.log(`Electron build of better-sqlite3 ready: ${target}`);
