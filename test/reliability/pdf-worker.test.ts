// The BUILT PDF worker (out/main/pdf-worker.js, an electron-vite entry beside server.js): two
// workers render invoices in parallel, and every PDF reads back (pdfjs) with exactly the text the
// main thread renders for the same document. (That the built bundle finds the file on its own:
// `npm run bench:billing` prints the pool's mode, "workers".)
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
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
});
