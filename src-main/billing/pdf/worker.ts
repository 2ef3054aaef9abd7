// The PDF worker thread (built by electron-vite as out/main/pdf-worker.js; the pool in
// ./pool.ts starts it). It renders invoice documents with the same renderInvoicePdf the main
// thread uses, one at a time, and hands the bytes back without a copy (transferred). Rendering
// is CPU-bound (layout and text shaping): off the main thread it no longer stalls the OCPP
// server or the API while a run's PDFs are written.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { renderInvoicePdf } from './invoice-pdf';
import type { PdfJob, PdfReply } from './pool';

const port = parentPort;
if (!port) throw new Error('pdf-worker.js runs as a worker thread (see billing/pdf/pool.ts).');

/** This thread's nice value: below the main thread's 0 (pool.ts defaultPoolSize says why). */
const WORKER_NICE = 10;

// Below the main thread (Linux only: there a thread's nice value is its own; elsewhere this
// call would lower the whole process, chargers included). Best effort: refused, it runs as is.
if (process.platform === 'linux') {
  try {
    setPriority(WORKER_NICE);
  } catch {
    // not allowed here (a container's policy): same priority as the main thread
  }
}

port.on('message', (job: PdfJob) => {
  const logo = job.logo
    ? { contentType: job.logo.contentType, content: Buffer.from(job.logo.content) }
    : null;
  renderInvoicePdf(job.doc, logo).then(
    (pdf) => {
      // A fresh ArrayBuffer holding exactly the PDF, so it can be transferred, not cloned.
      const bytes = new Uint8Array(pdf);
      port.postMessage({ id: job.id, ok: true, pdf: bytes } satisfies PdfReply, [bytes.buffer]);
    },
    (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      port.postMessage({ id: job.id, ok: false, message } satisfies PdfReply);
    },
  );
});
