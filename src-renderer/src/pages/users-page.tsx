import { applyFieldErrors } from '../lib/errors';
import type { ApiError } from '../../../src-shared/api/result';
import { useState } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import type { User } from '../../../src-shared/model';
import { ROLES, ROLE_LABELS } from '../../../src-shared/roles';
import { useQuery } from '../api/use-query';
import { useUser } from '../app/session';
import {
  ConfirmDeleteButton,
  EmptyState,
  ErrorAlert,
  Loading,
  PageHeader,
} from '../components/common';
import { runAction } from '../lib/actions';
import { formatDateTime } from '../lib/format';
import { ResetPasswordButton } from './reset-password-button';

const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const asRole = (v: string) => ROLES.find((r) => r === v) ?? 'support';

function UserDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const sites = useQuery('site-list', {});
  const form = useForm({
    initialValues: {
      name: user?.name ?? '',
      email: user?.email ?? '',
      role: (user?.role ?? 'support') as string,
      siteIds: (user?.siteIds ?? []).map(String),
      password: '',
      disabled: user?.disabled ?? false,
    },
  });
  const needsSites = form.values.role === 'site_admin' || form.values.role === 'ev_user';
  const onError = (e: ApiError) => {
    if (applyFieldErrors(form, e)) return true;
    if (e.code === 'conflict') {
      form.setFieldError('email', e.message);
      return true;
    }
    return false;
  };
  return (
    <Modal opened onClose={onClose} title={user ? `Edit ${user.name}` : 'Add user'} centered>
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const siteIds = needsSites ? v.siteIds.map(Number) : [];
          const r = user
            ? await runAction(
                'user-update',
                {
                  id: user.id,
                  name: v.name,
                  role: asRole(v.role),
                  siteIds,
                  disabled: v.disabled,
                  ...(v.password ? { password: v.password } : {}),
                },
                { success: 'User saved', onError },
              )
            : await runAction(
                'user-create',
                {
                  name: v.name,
                  email: v.email,
                  role: asRole(v.role),
                  siteIds,
                  password: v.password,
                },
                { success: (u) => `${u.name} can now log in`, onError },
              );
          if (r.ok) onClose();
        })}
      >
        <Stack>
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <TextInput
            label="Email"
            required
            type="email"
            readOnly={Boolean(user)}
            {...form.getInputProps('email')}
          />
          <Select
            label="Role"
            allowDeselect={false}
            data={roleOptions}
            {...form.getInputProps('role')}
          />
          {needsSites ? (
            <MultiSelect
              label="Sites"
              description="Site administrators and EV users only see these buildings."
              data={(sites.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
              {...form.getInputProps('siteIds')}
            />
          ) : null}
          <PasswordInput
            label={user ? 'New password (leave empty to keep)' : 'Initial password'}
            description="At least 10 characters. Give it to them in person; they can change it."
            required={!user}
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          {user ? (
            <Switch
              label="Disabled (cannot log in)"
              {...form.getInputProps('disabled', { type: 'checkbox' })}
            />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {user ? 'Save' : 'Add user'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function UsersPage() {
  const me = useUser();
  const users = useQuery('user-list', {});
  const sites = useQuery('site-list', {});
  const [dialog, setDialog] = useState<{ user: User | null } | null>(null);
  const siteName = (id: number) => sites.data?.find((s) => s.id === id)?.name ?? `#${id}`;
  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Who can log in, and what they may do."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ user: null })}>
            Add user
          </Button>
        }
      />
      {users.error ? <ErrorAlert error={users.error} /> : null}
      {users.loading ? (
        <Loading />
      ) : (users.data ?? []).length <= 1 ? (
        <EmptyState title="Only you so far">
          Add the building manager, your electrician (Support) and residents (EV users) so they can
          log in with their own account.
        </EmptyState>
      ) : null}
      {(users.data ?? []).length ? (
        <Paper withBorder mt="md">
          <Table verticalSpacing="sm" highlightOnHover aria-label="Users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Sites</Table.Th>
                <Table.Th>Last login</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(users.data ?? []).map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>
                    {u.name} {u.disabled ? <Badge color="gray">disabled</Badge> : null}
                    {u.mustChangePassword ? (
                      <Badge color="orange" variant="light">
                        password reset
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" style={{ minWidth: 'max-content' }}>
                      {ROLE_LABELS[u.role]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {u.role === 'admin' || u.role === 'support'
                      ? 'All'
                      : u.siteIds.map(siteName).join(', ') || '—'}
                  </Table.Td>
                  <Table.Td>{formatDateTime(u.lastLoginAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Edit ${u.name}`}
                          onClick={() => setDialog({ user: u })}
                        >
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      {u.id !== me.id ? (
                        <ResetPasswordButton user={u} onDone={users.refresh} />
                      ) : null}
                      {u.id !== me.id ? (
                        <ConfirmDeleteButton
                          rowName={u.name}
                          title="Delete user"
                          message={`Delete ${u.name} (${u.email})? They can no longer log in. Their audit entries stay.`}
                          onConfirm={async () => {
                            const r = await runAction(
                              'user-delete',
                              { id: u.id },
                              { success: 'User deleted' },
                            );
                            if (r.ok) users.refresh();
                          }}
                        />
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
      {dialog ? (
        <UserDialog
          user={dialog.user}
          onClose={() => {
            setDialog(null);
            users.refresh();
          }}
        />
      ) : null}
    </>
  );
}
