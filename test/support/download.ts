// Streamed downloads in core tests: ask for a ticket like the UI does, redeem it in the core
// and read the stream (the HTTP route itself is tested in test/server/downloads.test.ts).
import type { TestCore } from './make-core';
import type { Connection } from '../../src-main/api/context';
import type { MethodInput } from '../../src-shared/api/contract';
import { isRefusal } from '../../src-main/downloads/service';

export async function download(
  t: TestCore,
  conn: Connection,
  request: MethodInput<'download-ticket-create'>,
): Promise<{ fileName: string; body: Buffer }> {
  const ticket = await t.ok(conn, 'download-ticket-create', request);
  const id = ticket.url.split('/').pop() ?? '';
  const opened = t.core.services.downloads.redeem(id);
  if (isRefusal(opened)) throw new Error(`download refused: ${opened.status} ${opened.message}`);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return { fileName: ticket.fileName, body: Buffer.concat(chunks) };
}

/** The audit log as CSV text (without the BOM that Excel needs). */
export async function exportAuditCsv(
  t: TestCore,
  conn: Connection,
  filter: Extract<MethodInput<'download-ticket-create'>, { kind: 'audit-csv' }>['filter'] = {},
): Promise<{ fileName: string; csv: string }> {
  const { fileName, body } = await download(t, conn, { kind: 'audit-csv', filter });
  return { fileName, csv: body.toString('utf8').replace(/^\ufeff/, '') };
}
