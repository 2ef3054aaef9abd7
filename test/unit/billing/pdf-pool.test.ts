// The PDF worker pool's failure handling (the built worker itself is exercised against
// out/main/pdf-worker.js in test/reliability/pdf-worker.test.ts): without a worker file, or with
// one that cannot start, PDFs are still made (in this thread), reading back the same text; a
// worker that dies in the middle of a PDF fails that PDF in words and the next one is made by a
// fresh worker; a closed pool refuses new work; an idle worker is let go after the idle time
// (never one at work), and the next PDF starts a new one.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPdfPool, type PdfPool } from '../../../src-main/billing/pdf/pool';
import { renderInvoicePdf } from '../../../src-main/billing/pdf/invoice-pdf';
import { sampleInvoiceDocument } from '../../../src-main/billing/pdf/sample-document';
import { pdfText } from '../../support/pdf-text';

const dirs: string[] = [];
const pools: PdfPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workerFile(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-pool-'));
  dirs.push(dir);
  const file = join(dir, 'worker.mjs');
  writeFileSync(file, source);
  return file;
}
const pool = (opts: Parameters<typeof createPdfPool>[0]) => {
  const p = createPdfPool(opts);
  pools.push(p);
  return p;
};
/** Polls `ok` until it holds or `ms` pass (no fixed sleeps). */
async function until(ok: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
const words = async (bytes: Uint8Array) => (await pdfText(bytes)).text.replace(/\s+/g, ' ');

describe('PDF pool', () => {
  it('renders in this thread when there is no worker file, the same text as a direct render', async () => {
    const p = pool({ size: 2, workerFile: null });
    const docs = [sampleInvoiceDocument(3), sampleInvoiceDocument(30)];
    const pdfs = await Promise.all(docs.map((d) => p.render(d, null)));
    expect(p.mode).toBe('in-process');
    for (const [i, d] of docs.entries()) {
      expect(await words(pdfs[i] as Buffer)).toBe(await words(await renderInvoicePdf(d, null)));
    }
  });

  it('falls back to this thread when the worker cannot start, and still makes every PDF', async () => {
    const p = pool({ size: 1, workerFile: workerFile(`throw new Error('broken build');\n`) });
    const pdfs = await Promise.all([1, 2, 3].map((n) => p.render(sampleInvoiceDocument(n), null)));
    expect(p.mode).toBe('in-process');
    for (const [i, pdf] of pdfs.entries()) {
      expect(await words(pdf)).toContain(`Charging sessions (${i + 1},`);
    }
  });

  it('fails only the PDF whose worker died, in words, and makes the next with a new worker', async () => {
    // A worker that answers its first job and dies on its second (as an out-of-memory would).
    const file = workerFile(`
      import { parentPort } from 'node:worker_threads';
      let jobs = 0;
      parentPort.on('message', (job) => {
        jobs += 1;
        if (jobs === 2) process.exit(3);
        parentPort.postMessage({ id: job.id, ok: true, pdf: new TextEncoder().encode('%PDF ' + job.doc.number) });
      });
    `);
    const p = pool({ size: 1, workerFile: file });
    const doc = sampleInvoiceDocument(1);
    expect((await p.render(doc, null)).toString()).toBe('%PDF EV-00042');
    await expect(p.render(doc, null)).rejects.toThrow(
      'The PDF could not be made: the PDF worker stopped (exit code 3)',
    );
    expect((await p.render(doc, null)).toString()).toBe('%PDF EV-00042');
    expect(p.mode).toBe('workers');
    await p.close();
    await expect(p.render(doc, null)).rejects.toThrow('The PDF pool is closed.');
  });

  it('lets an idle worker go after the idle time, never one at work, and starts a new one for the next PDF', async () => {
    // A worker that takes 300 ms per PDF (longer than the idle time) and says which thread it is.
    const file = workerFile(`
      import { parentPort, threadId } from 'node:worker_threads';
      parentPort.on('message', (job) => setTimeout(() => parentPort.postMessage({
        id: job.id, ok: true, pdf: new TextEncoder().encode('%PDF thread ' + threadId),
      }), 300));
    `);
    const p = pool({ size: 1, workerFile: file, idleMs: 150 });
    expect(p.workers).toBe(0); // started on demand
    const doc = sampleInvoiceDocument(1);
    const a = await p.render(doc, null);
    // Asked for at once when the first is back (the worker just idle): made by the same thread,
    // not cut off when the idle time armed after the first ran out in the middle of it.
    const b = await p.render(doc, null);
    expect(a.toString()).toBe(b.toString());
    expect(p.workers).toBe(1);
    await until(() => p.workers === 0);
    const c = await p.render(doc, null);
    expect(c.toString()).toMatch(/^%PDF thread \d+$/);
    expect(c.toString()).not.toBe(a.toString()); // a new thread
    expect(p.mode).toBe('workers');
  });
});
