// The export profile editor: an accountant matches their package's import template without a
// new release: the name, rows per invoice or per line, the delimiter, the date format, and the
// columns (header, source field, money as dollars or cents, fixed text, longest text), in order.
// The shared validateProfile runs as they type (each problem under its field, in words); the
// core checks the same again on save and its answer is shown the same way.
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  List,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import {
  DATE_FORMATS,
  DELIMITERS,
  SOURCE_FIELDS,
  formatDate,
  validateProfile,
  type DateFormat,
  type Delimiter,
  type ExportColumn,
  type ExportProfile,
  type SourceField,
} from '../../../../src-shared/billing/export-profile';
import { runAction } from '../../lib/actions';

export const DELIMITER_NAMES: Record<Delimiter, string> = {
  ',': 'Comma-separated',
  ';': 'Semicolon-separated',
  '\t': 'Tab-separated',
  '|': 'Bar-separated (|)',
};

const SAMPLE_DATE = '2026-03-31';

export function ExportProfileEditor({
  siteId,
  profileKey,
  initial,
  onClose,
  onSaved,
}: {
  siteId: number;
  profileKey: string;
  initial: ExportProfile;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [p, setP] = useState<ExportProfile>(initial);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const problems = validateProfile(p);
  const errors: Record<string, string> = {
    ...serverErrors,
    ...Object.fromEntries(problems.map((x) => [x.field, x.message])),
  };
  const set = (patch: Partial<ExportProfile>) => {
    setServerErrors({});
    setP((x) => ({ ...x, ...patch }));
  };
  const setColumn = (i: number, patch: Partial<ExportColumn>) =>
    set({ columns: p.columns.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const move = (i: number, by: -1 | 1) => {
    const cols = [...p.columns];
    const [c] = cols.splice(i, 1);
    if (c) cols.splice(i + by, 0, c);
    set({ columns: cols });
  };
  const fieldOptions = Object.entries(SOURCE_FIELDS)
    .filter(([, f]) => (f.kinds as readonly string[]).includes(p.kind))
    // "Fixed text (the same on every row)" is cut in the narrow select; the text box says the rest.
    .map(([value, f]) => ({ value, label: value === 'fixed' ? 'Fixed text' : f.label }));

  const save = async () => {
    setBusy(true);
    const r = await runAction(
      'accounting-export-profile-save',
      { siteId, key: profileKey, profile: p },
      {
        success: 'Export profile saved',
        onError: (e) => {
          if (!e.fields) return false;
          // "profile.columns.2.source" → the editor's "columns.2.source".
          setServerErrors(
            Object.fromEntries(e.fields.map((f) => [f.field.replace(/^profile\./, ''), f.message])),
          );
          return true;
        },
      },
    );
    setBusy(false);
    if (r.ok) onSaved();
  };

  return (
    <Modal opened onClose={onClose} title={`Edit export profile: ${initial.name}`} size="72rem">
      <Stack>
        <Text size="sm" c="dimmed">
          {p.kind === 'meter-readings' ? 'Meter readings' : 'Invoice lines'}. Match the columns to
          the import template of your accounting package; the change is saved for this site only.
        </Text>
        <Group grow align="flex-start">
          <TextInput
            label="Profile name"
            value={p.name}
            error={errors.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
          />
          {p.kind === 'invoice-lines' ? (
            <Select
              label="Rows"
              data={[
                { value: 'invoice', label: 'One row per invoice' },
                { value: 'line', label: 'One row per line (each session and fee)' },
              ]}
              value={p.rowPer}
              onChange={(v) => set({ rowPer: v === 'line' ? 'line' : 'invoice' })}
              allowDeselect={false}
            />
          ) : null}
          <Select
            label="Delimiter"
            data={DELIMITERS.map((d) => ({ value: d, label: DELIMITER_NAMES[d] }))}
            value={p.delimiter}
            error={errors.delimiter}
            onChange={(v) => set({ delimiter: (v ?? ',') as Delimiter })}
            allowDeselect={false}
          />
          <Select
            label="Date format"
            data={DATE_FORMATS.map((f) => ({
              value: f,
              label: `${f} (${formatDate(SAMPLE_DATE, f)})`,
            }))}
            value={p.dateFormat}
            error={errors.dateFormat}
            onChange={(v) => set({ dateFormat: (v ?? 'dd/MM/yyyy') as DateFormat })}
            allowDeselect={false}
          />
        </Group>
        <Table aria-label="Export columns" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36}>#</Table.Th>
              <Table.Th>Header</Table.Th>
              <Table.Th>Value from</Table.Th>
              <Table.Th>Format or text</Table.Th>
              <Table.Th w={110}>Longest</Table.Th>
              <Table.Th w={110} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.columns.map((c, i) => (
              <ColumnRow
                key={i}
                index={i}
                column={c}
                count={p.columns.length}
                fieldOptions={fieldOptions}
                errors={errors}
                onChange={(patch) => setColumn(i, patch)}
                onMove={(by) => move(i, by)}
                onRemove={() => set({ columns: p.columns.filter((_, j) => j !== i) })}
              />
            ))}
          </Table.Tbody>
        </Table>
        {errors.columns ? (
          <Text size="sm" c="red">
            {errors.columns}
          </Text>
        ) : null}
        <Group justify="space-between">
          <Button
            variant="default"
            onClick={() => set({ columns: [...p.columns, { header: '', source: 'fixed' }] })}
          >
            Add column
          </Button>
          <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }} maw={640}>
            {p.columns.map((c) => c.header).join(p.delimiter === '\t' ? ' ⇥ ' : p.delimiter)}
          </Text>
        </Group>
        {problems.length > 0 ? (
          <Alert color="yellow" title="Fix these before saving">
            <List size="sm">
              {problems.map((x) => (
                <List.Item key={`${x.field}:${x.message}`}>{x.message}</List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void save()} loading={busy} disabled={problems.length > 0}>
            Save profile
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ColumnRow({
  index: i,
  column: c,
  count,
  fieldOptions,
  errors,
  onChange,
  onMove,
  onRemove,
}: {
  index: number;
  column: ExportColumn;
  count: number;
  fieldOptions: { value: string; label: string }[];
  errors: Record<string, string>;
  onChange: (patch: Partial<ExportColumn>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const name = `column ${i + 1}`;
  const type = c.source in SOURCE_FIELDS ? SOURCE_FIELDS[c.source as SourceField].type : null;
  return (
    <Table.Tr>
      <Table.Td>{i + 1}</Table.Td>
      <Table.Td>
        <TextInput
          aria-label={`Header of ${name}`}
          value={c.header}
          error={errors[`columns.${i}.header`]}
          onChange={(e) => onChange({ header: e.currentTarget.value })}
        />
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={`Value of ${name}`}
          data={fieldOptions}
          value={c.source}
          error={errors[`columns.${i}.source`]}
          searchable
          allowDeselect={false}
          onChange={(v) =>
            onChange({
              source: v ?? 'fixed',
              money: undefined,
              value: v === 'fixed' ? (c.value ?? '') : undefined,
            })
          }
        />
      </Table.Td>
      <Table.Td>
        {c.source === 'fixed' ? (
          <TextInput
            aria-label={`Text of ${name}`}
            placeholder="The same text on every row"
            value={c.value ?? ''}
            onChange={(e) => onChange({ value: e.currentTarget.value })}
          />
        ) : type === 'money' ? (
          <Select
            aria-label={`Money format of ${name}`}
            data={[
              { value: 'dollars', label: 'Dollars (12.34)' },
              { value: 'cents', label: 'Cents (1234)' },
            ]}
            value={c.money ?? 'dollars'}
            allowDeselect={false}
            onChange={(v) => onChange({ money: v === 'cents' ? 'cents' : 'dollars' })}
          />
        ) : (
          <Text size="xs" c="dimmed">
            {type === 'date' ? 'Profile date format' : type === 'energy' ? 'kWh, 3 decimals' : '—'}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <NumberInput
          aria-label={`Longest text of ${name}`}
          placeholder="Any"
          min={1}
          max={500}
          value={c.maxLength ?? ''}
          error={errors[`columns.${i}.maxLength`]}
          onChange={(v) => onChange({ maxLength: v === '' ? undefined : Number(v) })}
        />
      </Table.Td>
      <Table.Td>
        <Group gap={2} wrap="nowrap">
          <ActionIcon
            variant="subtle"
            aria-label={`Move ${name} up`}
            disabled={i === 0}
            onClick={() => onMove(-1)}
          >
            <IconArrowUp size={16} />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            aria-label={`Move ${name} down`}
            disabled={i === count - 1}
            onClick={() => onMove(1)}
          >
            <IconArrowDown size={16} />
          </ActionIcon>
          <ActionIcon variant="subtle" color="red" aria-label={`Remove ${name}`} onClick={onRemove}>
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
