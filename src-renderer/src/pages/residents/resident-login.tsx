// Links a resident to an EV-user login (or unlinks it), so that the resident sees their own
// account's cards and sessions. Logins are users with the EV-user role; only administrators list
// users, so a site administrator is told who can do it instead of being shown a control the core
// would refuse.
import { Button, Group, Select, Text } from '@mantine/core';
import { useState } from 'react';
import type { Resident } from '../../../../src-shared/api/methods/residents';
import { useQuery } from '../../api/use-query';
import { useUser } from '../../app/session';
import { runAction } from '../../lib/actions';
import { can } from '../../lib/permissions';

export function ResidentLogin({
  resident,
  siteId,
  onDone,
}: {
  resident: Resident;
  /** The account's site: only logins with access to it can be linked (the core refuses others). */
  siteId: number;
  onDone: () => void;
}) {
  const me = useUser();
  const admin = can.manageUsers(me.role);
  const users = useQuery('user-list', {}, { enabled: admin });
  const [choice, setChoice] = useState<string | null>(null);
  const name = `${resident.firstName} ${resident.lastName}`;

  const linked = users.data?.find((u) => u.id === resident.userId);
  if (resident.userId !== null) {
    return (
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" c="dimmed">
          EV-user login{linked ? `: ${linked.email}` : ''}
        </Text>
        {admin ? (
          <Button
            size="compact-xs"
            variant="subtle"
            aria-label={`Unlink the login of ${name}`}
            onClick={async () => {
              const r = await runAction(
                'resident-login-set',
                { id: resident.id, userId: null },
                { success: 'Login unlinked' },
              );
              if (r.ok) onDone();
            }}
          >
            Unlink
          </Button>
        ) : null}
      </Group>
    );
  }
  if (!admin) {
    return (
      <Text size="sm" c="dimmed">
        No login (an administrator can link one)
      </Text>
    );
  }
  const evUsers = (users.data ?? []).filter(
    (u) => u.role === 'ev_user' && u.siteIds.includes(siteId),
  );
  if (users.data && evUsers.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No login: create an EV user with access to this site under Users first
      </Text>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap">
      <Select
        size="xs"
        placeholder="EV-user login"
        aria-label={`EV-user login for ${name}`}
        data={evUsers.map((u) => ({ value: String(u.id), label: u.email }))}
        value={choice}
        onChange={setChoice}
        searchable
      />
      <Button
        size="compact-xs"
        variant="light"
        disabled={choice === null}
        onClick={async () => {
          const r = await runAction(
            'resident-login-set',
            { id: resident.id, userId: Number(choice) },
            { success: 'Login linked' },
          );
          if (r.ok) {
            setChoice(null);
            onDone();
          }
        }}
      >
        Link
      </Button>
    </Group>
  );
}
