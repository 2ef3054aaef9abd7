// Headless entry point (`npm run server`, `node out/main/server.js --help`): the process wrapper
// around runServer — signals, exit codes, last-resort error logging. Everything else lives in
// src-main/http/service.ts so tests can run it in-process.
import { builtRendererDir, runServer } from './http/service';
import { createConsoleLogger } from './platform/logger';

const fatal = createConsoleLogger('error');
// Logged, not swallowed: an unexpected error is a bug, and a half-working OCPP server is worse
// than a restart by the supervisor (systemd, Docker).
process.on('uncaughtException', (cause) => {
  fatal.error('uncaught exception', { cause });
  process.exit(70);
});
process.on('unhandledRejection', (cause) => {
  fatal.error('unhandled promise rejection', { cause });
  process.exit(70);
});

const { exitCode, service } = await runServer(process.argv.slice(2), process.env, {
  rendererDir: builtRendererDir(import.meta.url),
});

if (service === null) {
  process.exitCode = exitCode;
} else {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl+C while shutting down: the user wants out now.
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`${signal}: stopping StrataCharge…\n`);
    service.close().then(
      () => process.exit(0),
      (cause: unknown) => {
        fatal.error('shutdown failed', { cause });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
