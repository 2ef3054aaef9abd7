// Client-side downloads (CSV exports, diagnostics). Works in Chromium and in Electron (the main
// process's will-download handler shows the save dialog).
import Papa from 'papaparse';
import type { MethodInput } from '../../../src-shared/api/contract';
import type { Result } from '../../../src-shared/api/result';
import { api } from '../api/client';

export function downloadText(
  fileName: string,
  text: string,
  mime = 'text/csv;charset=utf-8',
): void {
  // BOM so Excel (what strata managers open CSVs with) reads UTF-8 names correctly.
  const blob = new Blob([mime.startsWith('text/csv') ? '\ufeff' + text : text], { type: mime });
  downloadBlob(fileName, blob);
}

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadBase64(
  fileName: string,
  base64: string,
  mime = 'application/octet-stream',
) {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  downloadBlob(fileName, new Blob([bytes], { type: mime }));
}

/** Rows (already formatted for people) → CSV text, with papaparse's quoting rules. */
export function toCsv(columns: string[], rows: (string | number | null)[][]): string {
  return Papa.unparse(
    { fields: columns, data: rows.map((r) => r.map((v) => v ?? '')) },
    { escapeFormulae: true },
  );
}

/** Reads a picked file as base64 (no data: prefix), for firmware uploads. */
export function readFileAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.onload = () => {
      const s = String(reader.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}

export function todayStamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * A large result (audit CSV, a backup) as a streamed download: the core grants a single-use
 * ticket after the same checks as the data; the desktop app saves it through the native dialog,
 * the browser follows the same-origin link and streams it to disk. Nothing is built in memory
 * here and nothing passes through the API socket.
 */
export async function streamedDownload(
  request: MethodInput<'download-ticket-create'>,
): Promise<Result<{ savedTo: string | null }>> {
  const ticket = await api.call('download-ticket-create', request);
  if (!ticket.ok) return ticket;
  const bridge = window.strataCharge;
  if (bridge) return bridge.saveDownload(ticket.value.url, ticket.value.fileName);
  const a = document.createElement('a');
  a.href = ticket.value.url;
  a.download = ticket.value.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  return { ok: true, value: { savedTo: null } };
}
