// CSV import of accounts, residents and cards: download the template, choose a file, see every
// problem by row, column and reason, then import (all rows once clean, or only the good ones).
import { Alert, Button, FileButton, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import { runAction } from '../../lib/actions';
import { readCsvFile } from '../../lib/csv-file';
import { DownloadButton } from '../../components/download-button';

type Outcome = MethodOutput<'residents-import'>;

export function ImportPanel({ siteId }: { siteId: number }) {
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [preview, setPreview] = useState<Outcome | null>(null);
  const [done, setDone] = useState<Outcome | null>(null);

  const choose = async (f: File | null) => {
    if (!f) return;
    const csv = await readCsvFile(f);
    setFile({ name: f.name, csv });
    setDone(null);
    const r = await runAction('residents-import', { siteId, csv, mode: 'preview' });
    setPreview(r.ok ? r.value : null);
  };
  const run = async (mode: 'all' | 'good-rows') => {
    if (!file) return;
    const r = await runAction(
      'residents-import',
      { siteId, csv: file.csv, mode },
      { success: 'Imported' },
    );
    if (r.ok) {
      setDone(r.value);
      setPreview(null);
    }
  };
  const badRows = new Set(preview?.problems.map((p) => p.row) ?? []);

  return (
    <Stack maw={900}>
      <Text size="sm">
        One row per resident and/or card; rows with the same lot number share its account. A lot
        without an open account needs the owner’s name to open one.
      </Text>
      <Group>
        <DownloadButton
          label="Download template"
          request={() => ({ kind: 'residents-template' })}
        />
        <FileButton onChange={(f) => void choose(f)} accept=".csv,text/csv">
          {(props) => <Button {...props}>Choose CSV file…</Button>}
        </FileButton>
        {file ? <Text size="sm">{file.name}</Text> : null}
      </Group>
      {preview ? (
        preview.problems.length === 0 ? (
          <Alert color="green" title={`${preview.rows} rows ready`}>
            <Group justify="space-between">
              <Text size="sm">No problems found.</Text>
              <Button onClick={() => void run('all')}>Import {preview.rows} rows</Button>
            </Group>
          </Alert>
        ) : (
          <Alert
            color="red"
            title={`${preview.problems.length} ${preview.problems.length === 1 ? 'problem' : 'problems'}: nothing imported yet`}
          >
            <Table data-testid="import-problems">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Row</Table.Th>
                  <Table.Th>Column</Table.Th>
                  <Table.Th>Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.problems.map((p, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{p.row}</Table.Td>
                    <Table.Td>{p.column ?? '—'}</Table.Td>
                    <Table.Td>{p.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group mt="sm">
              <Text size="sm">Fix the file and choose it again, or:</Text>
              <Button
                variant="default"
                disabled={badRows.size >= preview.rows}
                onClick={() => void run('good-rows')}
              >
                Import only the {preview.rows - badRows.size} good{' '}
                {preview.rows - badRows.size === 1 ? 'row' : 'rows'}
              </Button>
            </Group>
          </Alert>
        )
      ) : null}
      {done?.written ? (
        <Alert color="green" title="Imported">
          {done.written.accounts} account(s), {done.written.residents} resident(s) and{' '}
          {done.written.cards} card(s) added.
        </Alert>
      ) : null}
    </Stack>
  );
}
