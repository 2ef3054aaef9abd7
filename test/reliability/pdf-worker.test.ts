// The BUILT PDF worker (out/main/pdf-worker.js, an electron-vite entry beside server.js): two
// workers render invoices in parallel, and every PDF reads back (pdfjs) with exactly the text the
// main thread renders for the same document; on Linux the workers run below the main thread
// (nice 10), so a run's PDFs never take a core from the chargers' thread. (That the built bundle finds the file on its own:
// `npm run bench:billing` prints the pool's mode, "workers".)
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { createPdfPool } from '../../src-main/billing/pdf/pool';
import { renderInvoicePdf } from '../../src-main/billing/pdf/invoice-pdf';
import { sampleInvoiceDocument } from '../../src-main/billing/pdf/sample-document';
import { pdfText } from '../support/pdf-text';

const OUT = join(import.meta.dirname, '../../out/main');

describe('PDF worker (built)', () => {
  it('renders in worker threads with the same text as the main thread', async () => {
    const workerFile = join(OUT, 'pdf-worker.js');
    expect(existsSync(workerFile)).toBe(true);
    const pool = createPdfPool({ size: 2, workerFile });
    try {
      const docs = [sampleInvoiceDocument(2), sampleInvoiceDocument(40), sampleInvoiceDocument(7)];
      const pdfs = await Promise.all(docs.map((d) => pool.render(d, null)));
      expect(pool.mode).toBe('workers');
      for (const [i, d] of docs.entries()) {
        const fromWorker = await pdfText(pdfs[i] as Buffer);
        const direct = await pdfText(await renderInvoicePdf(d, null));
        expect(fromWorker.pages).toEqual(direct.pages);
        expect(fromWorker.text).toContain(`Charging sessions (${d.sessions.length},`);
      }
    } finally {
      await pool.close();
    }
  });

  it.runIf(process.platform === 'linux')(
    'runs its workers below the main thread (Linux: each thread has its own nice value)',
    async () => {
      // The nice value of each thread of this process (field 19 of /proc/self/task/<tid>/stat).
      const nices = () =>
        readdirSync('/proc/self/task').map((tid) => {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        });
      const before = nices().filter((n) => n === 10).length;
      const pool = createPdfPool({ size: 2, workerFile: join(OUT, 'pdf-worker.js') });
      try {
        await Promise.all([1, 2].map((n) => pool.render(sampleInvoiceDocument(n), null)));
        expect(pool.workers).toBe(2);
        expect(nices().filter((n) => n === 10).length - before).toBe(2);
        expect(getPriority()).toBe(0); // this (the main) thread is untouched
      } finally {
        await pool.close();
      }
    },
  );
});
