// The accounts of a site: filter, open one in a drawer (residents, cards, bays; edit, close,
// change owner), add one, export them all (with residents and cards) as CSV.
import {
  Badge,
  Button,
  Drawer,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '../../api/use-query';
import { ErrorAlert, ListEmptyState, Loading } from '../../components/common';
import { runAction } from '../../lib/actions';
import { formatDate } from '../../lib/format';
import { CardsTable, IssueCardButton } from './cards-panel';
import { DownloadButton } from '../../components/download-button';
import { AccountActions } from './account-actions';
import { ResidentLogin } from './resident-login';

export function AccountsPanel({ siteId, timeZone }: { siteId: number; timeZone: string }) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [openId, setOpenId] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const list = useQuery('account-list', {
    siteId,
    text: text || undefined,
    status: status === 'all' ? undefined : status,
  });
  const rows = list.data ?? [];
  return (
    <Stack>
      <Group>
        <TextInput
          aria-label="Filter accounts"
          placeholder="Lot, unit, owner, resident, account code"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={340}
        />
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'closed', label: 'Closed' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Button onClick={() => setAdding(true)}>Add account</Button>
        <DownloadButton label="Export CSV" request={() => ({ kind: 'residents-csv', siteId })} />
      </Group>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <ListEmptyState
          filtered={text !== '' || status !== 'open'}
          onClearFilters={() => {
            setText('');
            setStatus('open');
          }}
          title="No accounts yet"
        >
          Add an account for each lot (owner, invoice email, payment references), or import them all
          from a spreadsheet on the Import tab.
        </ListEmptyState>
      ) : (
        <Table highlightOnHover striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Lot</Table.Th>
              <Table.Th>Unit</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Account code</Table.Th>
              <Table.Th>Residents</Table.Th>
              <Table.Th>Cards</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((a) => (
              <Table.Tr
                key={a.id}
                tabIndex={0}
                style={{ cursor: 'pointer' }}
                onClick={() => setOpenId(a.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') setOpenId(a.id);
                }}
              >
                <Table.Td>{a.lotNumber}</Table.Td>
                <Table.Td>{a.unitNumber ?? '—'}</Table.Td>
                <Table.Td>{a.ownerNames}</Table.Td>
                <Table.Td>{a.accountCode ?? '—'}</Table.Td>
                <Table.Td>{a.residents}</Table.Td>
                <Table.Td>{a.cards}</Table.Td>
                <Table.Td>
                  {a.open ? (
                    <Badge variant="light">
                      {a.closedAt ? `Closes ${formatDate(a.closedAt, timeZone)}` : 'Open'}
                    </Badge>
                  ) : (
                    <Badge variant="light" color="gray">
                      {a.closedAt
                        ? `Closed ${formatDate(a.closedAt, timeZone)}`
                        : `Opens ${formatDate(a.openedAt, timeZone)}`}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <AccountDrawer
        id={openId}
        timeZone={timeZone}
        onClose={() => setOpenId(null)}
        onChange={list.refresh}
      />
      <AddAccountModal
        siteId={siteId}
        opened={adding}
        onClose={() => setAdding(false)}
        onDone={list.refresh}
      />
    </Stack>
  );
}

function AddAccountModal({
  siteId,
  opened,
  onClose,
  onDone,
}: {
  siteId: number;
  opened: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const [f, setF] = useState({
    lotNumber: '',
    unitNumber: '',
    ownerNames: '',
    email: '',
    code: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setF({ ...f, [k]: e.currentTarget.value });
  return (
    <Modal opened={opened} onClose={onClose} title="Add account">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await runAction(
            'account-create',
            {
              siteId,
              lotNumber: f.lotNumber,
              unitNumber: f.unitNumber,
              ownerNames: f.ownerNames,
              invoiceEmails: f.email ? [f.email] : [],
              accountCode: f.code,
            },
            {
              success: 'Account added',
              onError: (err) => {
                if (!err.fields) return false;
                setErrors(Object.fromEntries(err.fields.map((x) => [x.field, x.message])));
                return true;
              },
            },
          );
          if (r.ok) {
            setF({ lotNumber: '', unitNumber: '', ownerNames: '', email: '', code: '' });
            setErrors({});
            onDone();
            onClose();
          }
        }}
      >
        <Stack>
          <Group grow>
            <TextInput
              label="Lot number"
              required
              value={f.lotNumber}
              onChange={set('lotNumber')}
              error={errors.lotNumber}
              data-autofocus
            />
            <TextInput
              label="Unit number"
              value={f.unitNumber}
              onChange={set('unitNumber')}
              error={errors.unitNumber}
            />
          </Group>
          <TextInput
            label="Owner name(s)"
            required
            value={f.ownerNames}
            onChange={set('ownerNames')}
            error={errors.ownerNames}
          />
          <TextInput
            label="Invoice email"
            value={f.email}
            onChange={set('email')}
            error={errors['invoiceEmails.0'] ?? errors.invoiceEmails}
          />
          <TextInput
            label="Strata account code"
            value={f.code}
            onChange={set('code')}
            error={errors.accountCode}
          />
          <Group justify="flex-end">
            <Button type="submit">Add account</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function AccountDrawer({
  id,
  timeZone,
  onClose,
  onChange,
}: {
  id: number | null;
  timeZone: string;
  onClose: () => void;
  onChange: () => void;
}) {
  const detail = useQuery('account-get', { id: id ?? 0 }, { enabled: id !== null });
  const d = detail.data;
  const refresh = () => {
    detail.refresh();
    onChange();
  };
  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="xl" title="Account">
      {detail.error ? <ErrorAlert error={detail.error} /> : null}
      {!d ? (
        <Loading />
      ) : (
        <Stack>
          <div>
            <Title order={4}>
              Lot {d.account.lotNumber}
              {d.account.unitNumber ? ` · Unit ${d.account.unitNumber}` : ''}
            </Title>
            <Text>{d.account.ownerNames}</Text>
            <Text size="sm" c="dimmed">
              {d.account.invoiceEmails.join(', ') || 'No invoice email yet'}
              {d.account.accountCode ? ` · account code ${d.account.accountCode}` : ''}
            </Text>
            <Text size="sm" c="dimmed">
              Open from {formatDate(d.account.openedAt, timeZone)}
              {d.account.closedAt ? ` to ${formatDate(d.account.closedAt, timeZone)}` : ''}
            </Text>
          </div>
          <AccountActions account={d.account} timeZone={timeZone} onDone={refresh} />
          <Title order={5}>Residents</Title>
          {d.residents.length === 0 ? (
            <Text size="sm" c="dimmed">
              No residents yet: add the people who live in the lot and charge here.
            </Text>
          ) : (
            d.residents.map((r) => (
              <Group key={r.id} justify="space-between" wrap="nowrap">
                <Text size="sm">
                  {r.firstName} {r.lastName}
                  {r.email ? ` · ${r.email}` : ''}
                  {r.phone ? ` · ${r.phone}` : ''}
                </Text>
                <ResidentLogin resident={r} siteId={d.account.siteId} onDone={refresh} />
              </Group>
            ))
          )}
          <AddResident accountId={d.account.id} onDone={refresh} />
          <Group justify="space-between">
            <Title order={5}>Cards</Title>
            <IssueCardButton siteId={d.account.siteId} accountId={d.account.id} onDone={refresh} />
          </Group>
          <CardsTable cards={d.cards} onChange={refresh} />
          <Title order={5}>Bays</Title>
          <Text size="sm" c="dimmed">
            {d.bays.length === 0
              ? 'No bay of its own: this account charges at the shared bays (set bays on the Bays tab).'
              : d.bays
                  .map((b) => `${b.stationName} connector ${b.connectorNumber} (${b.kind})`)
                  .join(', ')}
          </Text>
        </Stack>
      )}
    </Drawer>
  );
}

function AddResident({ accountId, onDone }: { accountId: number; onDone: () => void }) {
  const [first, setFirst] = useState('');
  const [last, setLast] = useState('');
  const [email, setEmail] = useState('');
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await runAction(
          'resident-create',
          { accountId, firstName: first, lastName: last, email },
          { success: 'Resident added' },
        );
        if (r.ok) {
          setFirst('');
          setLast('');
          setEmail('');
          onDone();
        }
      }}
    >
      <Group align="flex-end">
        <TextInput
          label="First name"
          value={first}
          onChange={(e) => setFirst(e.currentTarget.value)}
        />
        <TextInput
          label="Last name"
          value={last}
          onChange={(e) => setLast(e.currentTarget.value)}
        />
        <TextInput label="Email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <Button type="submit" variant="light">
          Add resident
        </Button>
      </Group>
    </form>
  );
}
