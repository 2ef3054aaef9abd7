// What a manager does with an account in its drawer: edit its details, close it on a date (its
// cards stop from that day), or record a sale (the lot changes owner: this account closes on the
// settlement date and the buyer's opens on it; sessions stay with whoever owned the lot then).
// Dates are calendar days in the site's time zone: the account changes at that day's midnight.
import { Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { DateTime } from 'luxon';
import { useState } from 'react';
import type { Account } from '../../../../src-shared/api/methods/residents';
import { runAction } from '../../lib/actions';
import { formatDate } from '../../lib/format';
import { todayIn } from '../reports/report-period';

type Errors = Record<string, string>;
const fieldErrors = (setErrors: (e: Errors) => void) => ({
  onError: (err: { fields?: { field: string; message: string }[] }) => {
    if (!err.fields) return false;
    setErrors(Object.fromEntries(err.fields.map((x) => [x.field, x.message])));
    return true;
  },
});
const midnight = (date: string, timeZone: string) =>
  DateTime.fromISO(date, { zone: timeZone }).startOf('day').toMillis();
const emails = (v: string) =>
  v
    .split(/[;,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function AccountActions({
  account,
  timeZone,
  onDone,
}: {
  account: Account;
  timeZone: string;
  onDone: () => void;
}) {
  const [open, setOpen] = useState<'edit' | 'close' | 'owner' | null>(null);
  const close = () => setOpen(null);
  const done = () => {
    setOpen(null);
    onDone();
  };
  return (
    <>
      <Group gap="xs">
        <Button size="xs" variant="default" onClick={() => setOpen('edit')}>
          Edit details
        </Button>
        {account.closedAt === null ? (
          <>
            <Button size="xs" variant="default" onClick={() => setOpen('owner')}>
              Change owner
            </Button>
            <Button size="xs" variant="default" color="red" onClick={() => setOpen('close')}>
              Close account
            </Button>
          </>
        ) : null}
      </Group>
      {open === 'edit' ? <EditAccount account={account} onClose={close} onDone={done} /> : null}
      {open === 'close' ? (
        <CloseAccount account={account} timeZone={timeZone} onClose={close} onDone={done} />
      ) : null}
      {open === 'owner' ? (
        <ChangeOwner account={account} timeZone={timeZone} onClose={close} onDone={done} />
      ) : null}
    </>
  );
}

function EditAccount({
  account: a,
  onClose,
  onDone,
}: {
  account: Account;
  onClose: () => void;
  onDone: () => void;
}) {
  const [f, setF] = useState({
    lotNumber: a.lotNumber,
    unitNumber: a.unitNumber ?? '',
    ownerNames: a.ownerNames,
    postalAddress: a.postalAddress ?? '',
    invoiceEmails: a.invoiceEmails.join(', '),
    accountCode: a.accountCode ?? '',
    bpayReference: a.bpayReference ?? '',
    deftReference: a.deftReference ?? '',
    strataPayReference: a.strataPayReference ?? '',
    notes: a.notes ?? '',
  });
  const [errors, setErrors] = useState<Errors>({});
  const input = (k: keyof typeof f, label: string, extra: { required?: boolean } = {}) => (
    <TextInput
      label={label}
      value={f[k]}
      onChange={(e) => setF({ ...f, [k]: e.currentTarget.value })}
      error={errors[k]}
      {...extra}
    />
  );
  return (
    <Modal opened onClose={onClose} title={`Lot ${a.lotNumber}: details`} size="lg">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await runAction(
            'account-update',
            { id: a.id, ...f, invoiceEmails: emails(f.invoiceEmails) },
            { success: 'Account saved', ...fieldErrors(setErrors) },
          );
          if (r.ok) onDone();
        }}
      >
        <Stack>
          <Group grow>
            {input('lotNumber', 'Lot number', { required: true })}
            {input('unitNumber', 'Unit number')}
          </Group>
          {input('ownerNames', 'Owner name(s)', { required: true })}
          {input('postalAddress', 'Postal address')}
          <TextInput
            label="Invoice emails"
            description="One or more, separated by commas"
            value={f.invoiceEmails}
            onChange={(e) => setF({ ...f, invoiceEmails: e.currentTarget.value })}
            error={
              Object.entries(errors).find(([k]) => k.startsWith('invoiceEmails'))?.[1] ?? undefined
            }
          />
          <Group grow>
            {input('accountCode', 'Strata account code')}
            {input('bpayReference', 'BPAY reference')}
          </Group>
          <Group grow>
            {input('deftReference', 'DEFT reference')}
            {input('strataPayReference', 'StrataPay reference')}
          </Group>
          <Textarea
            label="Notes"
            value={f.notes}
            onChange={(e) => setF({ ...f, notes: e.currentTarget.value })}
            error={errors.notes}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CloseAccount({
  account: a,
  timeZone,
  onClose,
  onDone,
}: {
  account: Account;
  timeZone: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [date, setDate] = useState(todayIn(timeZone));
  const [errors, setErrors] = useState<Errors>({});
  return (
    <Modal opened onClose={onClose} title={`Close the account of lot ${a.lotNumber}?`}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await runAction(
            'account-close',
            { id: a.id, closedAt: midnight(date, timeZone) },
            { success: `Account of lot ${a.lotNumber} closed`, ...fieldErrors(setErrors) },
          );
          if (r.ok) onDone();
        }}
      >
        <Stack>
          <Text size="sm">
            {a.ownerNames}’s cards stop working from the start of that day, at every charger (the
            chargers’ offline lists follow). Their sessions before it stay on this account. If the
            lot was sold, use “Change owner” instead.
          </Text>
          <TextInput
            type="date"
            label="Closing date"
            required
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
            error={errors.closedAt}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!date}>
              Close account
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ChangeOwner({
  account: a,
  timeZone,
  onClose,
  onDone,
}: {
  account: Account;
  timeZone: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [date, setDate] = useState(todayIn(timeZone));
  const [f, setF] = useState({
    ownerNames: '',
    invoiceEmails: '',
    unitNumber: a.unitNumber ?? '',
    accountCode: '',
  });
  const [errors, setErrors] = useState<Errors>({});
  return (
    <Modal opened onClose={onClose} title={`Lot ${a.lotNumber} changes owner`} size="lg">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await runAction(
            'account-change-owner',
            {
              id: a.id,
              at: midnight(date, timeZone),
              ...f,
              invoiceEmails: emails(f.invoiceEmails),
            },
            {
              success: `Lot ${a.lotNumber}: ${f.ownerNames}’s account opens ${formatDate(midnight(date, timeZone), timeZone)}`,
              ...fieldErrors(setErrors),
            },
          );
          if (r.ok) onDone();
        }}
      >
        <Stack>
          <Alert color="blue" variant="light">
            On the settlement date {a.ownerNames}’s account closes and the new owner’s opens.
            Sessions before it stay with {a.ownerNames}, later ones go to the new owner; the lot’s
            private bay serves the new owner from that day. Issue the new owner’s cards on their
            account.
          </Alert>
          <TextInput
            type="date"
            label="Settlement date"
            required
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
            error={errors.at}
          />
          <TextInput
            label="New owner name(s)"
            required
            value={f.ownerNames}
            onChange={(e) => setF({ ...f, ownerNames: e.currentTarget.value })}
            error={errors.ownerNames}
          />
          <TextInput
            label="Invoice emails"
            description="One or more, separated by commas"
            value={f.invoiceEmails}
            onChange={(e) => setF({ ...f, invoiceEmails: e.currentTarget.value })}
            error={
              Object.entries(errors).find(([k]) => k.startsWith('invoiceEmails'))?.[1] ?? undefined
            }
          />
          <Group grow>
            <TextInput
              label="Unit number"
              value={f.unitNumber}
              onChange={(e) => setF({ ...f, unitNumber: e.currentTarget.value })}
              error={errors.unitNumber}
            />
            <TextInput
              label="Strata account code"
              value={f.accountCode}
              onChange={(e) => setF({ ...f, accountCode: e.currentTarget.value })}
              error={errors.accountCode}
            />
          </Group>
          {errors.id ? <Text c="red">{errors.id}</Text> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!date || !f.ownerNames.trim()}>
              Record the sale
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
