// Run by test/unit/mail/outbox.test.ts in a child process (built by support/child-script.ts): opens the core on the given data
// directory, queues one invoice email in a business transaction and kills itself with SIGKILL
// right after COMMIT, before the send the commit kicks off can start (a power cut, not a clean
// stop: no close(), no flush). Prints the message id first, synchronously.
import { writeSync } from 'node:fs';
import { createCore } from '../../src-main/core';
import { ManualClock } from '../../src-main/platform/clock';
import { createMemoryLogger } from '../../src-main/platform/logger';
import { organisation } from '../../src-main/db/schema';

const [dataDir, at] = process.argv.slice(2);
if (!dataDir || !at) throw new Error('usage: outbox-crash-child <data dir> <clock ms>');

const core = await createCore({
  dataDir,
  clock: new ManualClock(Number(at)),
  logger: createMemoryLogger(),
  backupTimer: false,
  messageLogOnMainThread: true,
});
const id = core.services.db.transaction((tx) => {
  tx.update(organisation).set({ phone: '02 9999 0001' }).run();
  return core.services.mail.outbox.enqueue(tx, {
    kind: 'invoice',
    to: ['owner@example.com'],
    subject: 'Invoice INV-CRASH',
    text: 'Your invoice is attached.',
  });
});
writeSync(1, `queued ${id}\n`);
process.kill(process.pid, 'SIGKILL');
