// Priorities and caps per account (a lot): a resident's arrangement that follows their car to any
// bay. Where a bay and an account both have a cap, the lower applies; the account's priority wins.
import { ActionIcon, NumberInput, Select, Table, Text } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { AccountPolicy, BalancingConfig } from '../../../../src-shared/balancing/config';
import { PRIORITIES, type Priority } from '../../../../src-shared/balancing/model';
import { num, type Errors, type Update } from './model-fields';

const PRIORITY_LABEL: Record<Priority, string> = { high: 'High', normal: 'Normal', low: 'Low' };

export function AccountPoliciesTable({
  c,
  set,
  e,
  accounts,
}: {
  c: BalancingConfig;
  set: Update;
  e: Errors;
  accounts: { id: number; name: string }[];
}) {
  const edit = (i: number, patch: Partial<AccountPolicy>) =>
    set((x) => ({
      ...x,
      accountPolicies: x.accountPolicies.map((y, j) => (j === i ? { ...y, ...patch } : y)),
    }));
  const unused = accounts.filter((a) => !c.accountPolicies.some((p) => p.accountId === a.id));
  if (accounts.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No accounts at this site yet (Residents & cards): priorities per lot can be set once there
        are.
      </Text>
    );
  return (
    <>
      {c.accountPolicies.length > 0 ? (
        <Table withTableBorder data-testid="account-policies">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              <Table.Th>Priority</Table.Th>
              <Table.Th>Cap</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.accountPolicies.map((p, i) => {
              const name =
                accounts.find((a) => a.id === p.accountId)?.name ?? `Account ${p.accountId}`;
              return (
                <Table.Tr key={p.accountId}>
                  <Table.Td>
                    <Text size="sm">{name}</Text>
                    {e[`accountPolicies.${i}.accountId`] ? (
                      <Text size="xs" c="red">
                        {e[`accountPolicies.${i}.accountId`]}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`${name} priority`}
                      data={PRIORITIES.map((x) => ({ value: x, label: PRIORITY_LABEL[x] }))}
                      value={p.priority}
                      onChange={(v) => edit(i, { priority: (v ?? 'normal') as Priority })}
                      allowDeselect={false}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={`${name} cap`}
                      placeholder="None"
                      value={p.capA ?? ''}
                      onChange={(v) => edit(i, { capA: v === '' ? null : num(v) })}
                      suffix=" A"
                      hideControls
                      error={e[`accountPolicies.${i}.capA`]}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove the priority of ${name}`}
                      onClick={() =>
                        set((x) => ({
                          ...x,
                          accountPolicies: x.accountPolicies.filter((_, j) => j !== i),
                        }))
                      }
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}
      {unused.length > 0 ? (
        <Select
          label="Add a priority for an account"
          placeholder="Choose an account…"
          data={unused.map((a) => ({ value: String(a.id), label: a.name }))}
          value={null}
          onChange={(v) => {
            if (!v) return;
            set((x) => ({
              ...x,
              accountPolicies: [
                ...x.accountPolicies,
                { accountId: Number(v), priority: 'high', capA: null },
              ],
            }));
          }}
          searchable
          w={320}
        />
      ) : null}
    </>
  );
}
