// A small pool of worker threads that render invoice PDFs (./worker.ts, built as
// out/main/pdf-worker.js next to server.js and the Electron main). One PDF takes tens to hundreds
// of milliseconds of pure CPU; a run's or an email batch's hundreds would otherwise hold the main
// thread, which also answers the chargers. Size: every core, the workers at a lower priority
// than the main thread (Linux; cores - 1 elsewhere: defaultPoolSize). Workers start on the
// first PDF, are unref'd while idle (an idle pool never keeps the process alive) and let go
// after a minute idle (IDLE_MS), and a worker that dies fails only its own PDF and is replaced
// on the next.
//
// Where there is no built worker file (the tests run the TypeScript sources) or a worker cannot
// start at all, PDFs are rendered in this thread instead: same function, same bytes.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { InvoiceDocument } from '../../../src-shared/billing/invoice-document';
import { renderInvoicePdf } from './invoice-pdf';

export interface PdfLogo {
  contentType: string;
  content: Uint8Array;
}
export interface PdfJob {
  id: number;
  doc: InvoiceDocument;
  logo: PdfLogo | null;
}
export type PdfReply =
  { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; message: string };

export interface PdfPool {
  render(doc: InvoiceDocument, logo: PdfLogo | null): Promise<Buffer>;
  /** 'workers' once a worker file was found; 'in-process' otherwise or after workers failed. */
  readonly mode: 'workers' | 'in-process';
  readonly size: number;
  /** Worker threads alive now (started on demand, let go when idle). */
  readonly workers: number;
  close(): Promise<void>;
}

/**
 * Every core on Linux, where the workers run below the main thread (WORKER_NICE): a run's or
 * an email batch's PDFs then use the whole machine while it is otherwise idle (500 PDFs are
 * ~40 s of CPU: one worker on 2 cores cannot make the 30 s target), and the main thread still
 * wins a core the moment a charger or the API needs it (worker.ts: nice 10). Elsewhere (the desktop app on Windows
 * or macOS, where a thread cannot be lowered alone) cores - 1, so the main thread keeps one.
 */
export const defaultPoolSize = () =>
  Math.max(1, availableParallelism() - (process.platform === 'linux' ? 0 : 1));

/** The built worker next to this bundle (out/main/pdf-worker.js; this code may sit in a chunk). */
export function findWorkerFile(): string | null {
  for (const rel of ['./pdf-worker.js', '../pdf-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol !== 'file:') continue;
    const file = fileURLToPath(url);
    if (existsSync(file)) return file;
  }
  return null;
}

interface Pending extends PdfJob {
  resolve: (pdf: Buffer) => void;
  reject: (e: Error) => void;
}
interface Slot {
  worker: Worker;
  job: Pending | null;
  /** Rendered at least one PDF: a failure after that is the PDF's, not the worker file's. */
  proven: boolean;
  /** While idle: the timer that lets the worker go (see IDLE_MS). */
  idle: NodeJS.Timeout | null;
}

/**
 * An idle worker is let go after this long: each holds a thread and its own heap (React,
 * react-pdf, the fonts: tens of MB), and a batch (a run's PDFs, an email run) is over in
 * seconds to minutes; a new one starts in well under a second for the next PDF.
 */
export const IDLE_MS = 60_000;

/** A worker's young generation (3 × its semi-space size, V8's rule): see spawn(). */
const YOUNG_GENERATION_MB = 96;

export function createPdfPool(
  opts: { size?: number; workerFile?: string | null; idleMs?: number } = {},
): PdfPool {
  const size = Math.max(1, Math.floor(opts.size ?? defaultPoolSize()));
  const idleMs = opts.idleMs ?? IDLE_MS;
  const workerFile = opts.workerFile === undefined ? findWorkerFile() : opts.workerFile;
  let mode: PdfPool['mode'] = workerFile ? 'workers' : 'in-process';
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  // In this thread one PDF at a time: a run's hundreds started at once would interleave and
  // hold every half-laid-out document in memory together.
  let chain: Promise<unknown> = Promise.resolve();
  function inProcess(job: Pending) {
    const logo = job.logo
      ? { contentType: job.logo.contentType, content: Buffer.from(job.logo.content) }
      : null;
    const done = chain.then(() => renderInvoicePdf(job.doc, logo));
    done.then(job.resolve, job.reject);
    chain = done.catch(() => undefined);
  }

  function remove(slot: Slot) {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
  }

  function drop(slot: Slot, error: Error) {
    remove(slot);
    const job = slot.job;
    slot.job = null;
    void slot.worker.terminate();
    if (!slot.proven && slots.every((s) => !s.proven)) {
      // The worker never rendered anything: it cannot start here (a missing or broken build,
      // a packaging without the file). Render in this thread from now on rather than fail.
      for (const s of slots.splice(0)) void s.worker.terminate();
      if (job) inProcess(job);
      fallBack(error);
      return;
    }
    job?.reject(new Error(`The PDF could not be made: ${error.message}`));
    pump();
  }

  function spawn(file: string): Slot {
    // React's production build: the development one checks (and warns about) every element.
    // A larger young generation: a PDF allocates hundreds of MB of short-lived objects (layout
    // boxes, glyph runs); with V8's default (16 MB semi-spaces) about a sixth of a PDF's time
    // went to scavenges (profile); 32 MB semi-spaces cut the CPU per PDF by ~10 % (bench).
    const worker = new Worker(file, {
      env: { ...process.env, NODE_ENV: 'production' },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const slot: Slot = { worker, job: null, proven: false, idle: null };
    slot.worker.unref();
    slot.worker.on('message', (reply: PdfReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = null;
      slot.proven = true;
      if (reply.ok)
        job.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      else job.reject(new Error(reply.message));
      pump();
    });
    slot.worker.on('error', (e) => drop(slot, e));
    slot.worker.on('exit', (code) => {
      if (slots.includes(slot)) drop(slot, new Error(`the PDF worker stopped (exit code ${code})`));
    });
    slots.push(slot);
    return slot;
  }

  function fallBack(error: Error) {
    mode = 'in-process';
    for (const q of queue.splice(0)) inProcess(q);
    console.warn(`PDF worker could not run (${error.message}); rendering PDFs in the main thread.`);
  }

  function pump() {
    while (queue.length > 0 && mode === 'workers' && workerFile) {
      let slot = slots.find((s) => s.job === null) ?? null;
      if (!slot && slots.length < size) {
        try {
          slot = spawn(workerFile);
        } catch (e) {
          fallBack(e instanceof Error ? e : new Error(String(e)));
          break;
        }
      }
      if (!slot) break;
      const job = queue.shift() as Pending;
      slot.job = job;
      const { resolve: _r, reject: _j, ...message } = job;
      slot.worker.postMessage(message satisfies PdfJob);
    }
    // Busy workers keep the process alive until their PDF is back; idle ones do not, and are
    // let go after idleMs. A real timer, unref'd, not the scheduler: this is about a thread and
    // its memory in real time (like a socket's keep-alive), not about the app's clock; on a
    // test's ManualClock it would otherwise live until the test moved time.
    for (const s of slots) {
      if (s.job) {
        s.worker.ref();
        if (s.idle) clearTimeout(s.idle);
        s.idle = null;
      } else {
        s.worker.unref();
        s.idle ??= setTimeout(() => retire(s), idleMs).unref();
      }
    }
  }

  function retire(slot: Slot) {
    if (slot.job || !slots.includes(slot)) return;
    remove(slot); // before terminate: its exit is then not taken for a crash
    void slot.worker.terminate();
  }

  return {
    get mode() {
      return mode;
    },
    size,
    get workers() {
      return slots.length;
    },
    render(doc, logo) {
      if (closed) return Promise.reject(new Error('The PDF pool is closed.'));
      return new Promise<Buffer>((resolve, reject) => {
        const job: Pending = { id: nextId++, doc, logo, resolve, reject };
        if (mode === 'in-process') inProcess(job);
        else {
          queue.push(job);
          pump();
        }
      });
    },
    async close() {
      closed = true;
      for (const q of queue.splice(0)) q.reject(new Error('The PDF pool is closed.'));
      const all = [...slots];
      for (const s of all) {
        remove(s);
        s.job?.reject(new Error('The PDF pool is closed.'));
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
