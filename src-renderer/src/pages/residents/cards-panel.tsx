// Cards: every card of a site with its lifecycle actions (replace, block, unblock, delete),
// issuing a card (typed, or captured with learn mode: tap it on a charger), and the cards the
// chargers saw that nobody issued, each one click from being issued.
import {
  Badge,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Card, CardStatus } from '../../../../src-shared/api/methods/residents';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { runAction } from '../../lib/actions';
import { formatDate, formatDateTime } from '../../lib/format';

const STATUS: Record<CardStatus, { label: string; color: string }> = {
  active: { label: 'Active', color: 'green' },
  blocked: { label: 'Blocked', color: 'red' },
  expired: { label: 'Expired', color: 'orange' },
  replaced: { label: 'Replaced', color: 'gray' },
};

export function CardsTable({ cards, onChange }: { cards: Card[]; onChange: () => void }) {
  const [replacing, setReplacing] = useState<Card | null>(null);
  if (cards.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No cards yet: issue one (type its number, or tap it on a charger with “Learn”).
      </Text>
    );
  }
  const act = async (fn: () => Promise<{ ok: boolean }>) => {
    if ((await fn()).ok) onChange();
  };
  return (
    <>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Card</Table.Th>
            <Table.Th>Label</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cards.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Text ff="monospace" size="sm">
                  {c.idTag}
                </Text>
                {c.printed ? (
                  <Text size="xs" c="dimmed">
                    printed {c.printed}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{c.label ?? '—'}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={STATUS[c.status].color}>
                  {STATUS[c.status].label}
                </Badge>
              </Table.Td>
              <Table.Td>{c.expiresAt ? formatDate(c.expiresAt) : '—'}</Table.Td>
              <Table.Td>
                {c.status === 'replaced' ? null : (
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setReplacing(c)}>
                      Replace
                    </Button>
                    {c.status === 'blocked' ? (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() =>
                          act(() =>
                            runAction('card-unblock', { id: c.id }, { success: 'Card unblocked' }),
                          )
                        }
                      >
                        Unblock
                      </Button>
                    ) : (
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        onClick={() =>
                          act(() =>
                            runAction('card-block', { id: c.id }, { success: 'Card blocked' }),
                          )
                        }
                      >
                        Block
                      </Button>
                    )}
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() =>
                        act(() =>
                          runAction(
                            'card-delete',
                            { id: c.id },
                            { success: 'Card deleted', failure: 'Not deleted' },
                          ),
                        )
                      }
                    >
                      Delete
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ReplaceModal card={replacing} onClose={() => setReplacing(null)} onDone={onChange} />
    </>
  );
}

function ReplaceModal({
  card,
  onClose,
  onDone,
}: {
  card: Card | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const [number, setNumber] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal opened={card !== null} onClose={onClose} title={`Replace card ${card?.idTag ?? ''}`}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!card) return;
          const r = await runAction(
            'card-replace',
            { id: card.id, number },
            {
              success: 'Card replaced: the old one no longer works',
              onError: (err) => {
                setError(err.message);
                return true;
              },
            },
          );
          if (r.ok) {
            setNumber('');
            setError(null);
            onDone();
            onClose();
          }
        }}
      >
        <Stack>
          <Text size="sm">The old card stops working at once, at every charger.</Text>
          <TextInput
            label="New card number"
            description="As printed or read: decimal or hex, spaces and colons allowed"
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            error={error}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button type="submit">Replace</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Issue a card to an account: typed, or captured from a charger in learn mode. */
export function IssueCardButton({
  siteId,
  accountId,
  number: initial,
  onDone,
  label = 'Issue card',
}: {
  siteId: number;
  accountId?: number;
  number?: string;
  onDone: () => void;
  label?: string;
}) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button size="xs" onClick={() => setOpened(true)}>
        {label}
      </Button>
      {opened ? (
        <IssueModal
          siteId={siteId}
          accountId={accountId}
          initial={initial ?? ''}
          onClose={() => setOpened(false)}
          onDone={onDone}
        />
      ) : null}
    </>
  );
}

function IssueModal({
  siteId,
  accountId: fixedAccount,
  initial,
  onClose,
  onDone,
}: {
  siteId: number;
  accountId?: number;
  initial: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [number, setNumber] = useState(initial);
  const [cardLabel, setCardLabel] = useState('');
  const [accountId, setAccountId] = useState<string | null>(
    fixedAccount ? String(fixedAccount) : null,
  );
  const [error, setError] = useState<string | null>(null);
  const [learning, setLearning] = useState(false);
  const accounts = useQuery('account-list', { siteId, status: 'open' }, { enabled: !fixedAccount });
  const check = useQuery(
    'card-number-check',
    { siteId, number },
    { enabled: number.trim() !== '' },
  );

  // Learn mode: poll until a charger reports the tapped card (at most the two minutes asked).
  useEffect(() => {
    if (!learning) return;
    const timer = setInterval(() => {
      void api.call('card-learn-status', { siteId }).then((r) => {
        if (!r.ok) return;
        if (r.value.idTag && !r.value.learning) {
          setNumber(r.value.idTag);
          setLearning(false);
        } else if (!r.value.learning) setLearning(false);
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [learning, siteId]);

  return (
    <Modal opened onClose={onClose} title="Issue a card">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await runAction(
            'card-issue',
            { siteId, accountId: Number(accountId), number, label: cardLabel },
            {
              success: (c) => `Card ${c.idTag} issued`,
              onError: (err) => {
                setError(err.message);
                return true;
              },
            },
          );
          if (r.ok) {
            onDone();
            onClose();
          }
        }}
      >
        <Stack>
          {fixedAccount ? null : (
            <Select
              label="Account"
              required
              searchable
              data={(accounts.data ?? []).map((a) => ({
                value: String(a.id),
                label: `Lot ${a.lotNumber} · ${a.ownerNames}`,
              }))}
              value={accountId}
              onChange={setAccountId}
            />
          )}
          <Group align="flex-end" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label="Card number"
              description="As printed or read: decimal or hex, spaces and colons allowed"
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value)}
              error={error ?? (number.trim() ? check.data?.problem : null)}
              data-autofocus
            />
            <Button
              variant="light"
              loading={learning}
              onClick={async () => {
                const r = await runAction('card-learn-start', {
                  siteId,
                  printed: number,
                  seconds: 120,
                });
                if (r.ok) setLearning(true);
              }}
            >
              Learn
            </Button>
          </Group>
          {learning ? (
            <Text size="sm" c="blue" role="status">
              Tap the card on any charger of this site now (within two minutes).
            </Text>
          ) : check.data?.idTag && !check.data.problem ? (
            <Text size="sm" c="dimmed">
              Chargers will read it as <b>{check.data.idTag}</b>
            </Text>
          ) : null}
          <TextInput
            label="Label"
            value={cardLabel}
            onChange={(e) => setCardLabel(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button type="submit" disabled={!accountId || !number.trim()}>
              Issue card
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function CardsPanel({ siteId }: { siteId: number }) {
  const cards = useQuery('card-list', { siteId });
  const unknown = useQuery('card-unknown-list', { siteId });
  const learn = useQuery('card-learn-status', { siteId });
  const refresh = () => {
    cards.refresh();
    unknown.refresh();
    learn.refresh();
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Card numbers at this site: {learn.data?.formText ?? '…'}
        </Text>
        <IssueCardButton siteId={siteId} onDone={refresh} />
      </Group>
      <Title order={5}>Recent unknown cards</Title>
      {unknown.error ? <ErrorAlert error={unknown.error} /> : null}
      {(unknown.data ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          No unknown card was presented in the last 30 days.
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {(unknown.data ?? []).map((u) => (
              <Table.Tr key={u.idTag}>
                <Table.Td ff="monospace">{u.idTag}</Table.Td>
                <Table.Td>
                  {u.count} time{u.count > 1 ? 's' : ''}, last {formatDateTime(u.lastAt)}
                </Table.Td>
                <Table.Td>
                  <IssueCardButton
                    siteId={siteId}
                    number={u.idTag}
                    onDone={refresh}
                    label="Issue"
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Title order={5}>All cards</Title>
      {cards.error ? <ErrorAlert error={cards.error} /> : null}
      {cards.loading ? (
        <Loading />
      ) : (cards.data ?? []).length === 0 ? (
        <EmptyState title="No cards issued yet">
          Issue a card to an account: type the number printed on it, or press “Learn” and tap it on
          one of the site’s chargers.
        </EmptyState>
      ) : (
        <CardsTable cards={cards.data ?? []} onChange={refresh} />
      )}
    </Stack>
  );
}
