import { useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Center,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Text,
  ThemeIcon,
  Title,
  type ButtonProps,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDownload, IconInbox, IconTrash } from '@tabler/icons-react';
import type { ApiError, Result } from '../../../src-shared/api/result';
import { describeError } from '../lib/errors';
import { downloadText } from '../lib/download';

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-start" mb="lg" wrap="wrap">
      {/* A long name without spaces (a floor, a station) wraps rather than widening the page. */}
      <div style={{ minWidth: 0, maxWidth: '100%', overflowWrap: 'anywhere' }}>
        <Title order={2}>{title}</Title>
        {subtitle ? (
          <Text c="dimmed" size="sm" mt={4}>
            {subtitle}
          </Text>
        ) : null}
      </div>
      {actions ? <Group gap="sm">{actions}</Group> : null}
    </Group>
  );
}

/** Empty states say what to do next. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Paper withBorder p="xl" radius="md" data-testid="empty-state">
      <Stack align="center" gap="xs">
        <ThemeIcon variant="light" size="xl" radius="xl" color="gray">
          <IconInbox size={22} />
        </ThemeIcon>
        <Text fw={600}>{title}</Text>
        {children ? (
          <Text c="dimmed" size="sm" ta="center" maw={520}>
            {children}
          </Text>
        ) : null}
        {action}
      </Stack>
    </Paper>
  );
}

/** The empty state of a filterable list: with filters set, it offers to clear them. */
export function ListEmptyState({
  filtered,
  onClearFilters,
  title,
  children,
}: {
  filtered: boolean;
  onClearFilters: () => void;
  title: string;
  children?: ReactNode;
}) {
  return (
    <EmptyState
      title={title}
      action={
        filtered ? (
          <Button variant="light" onClick={onClearFilters}>
            Clear filters
          </Button>
        ) : null
      }
    >
      {children}
    </EmptyState>
  );
}

/**
 * "Export CSV" for a whole filtered set that takes a round trip (or several) to build: busy while
 * it runs, a notification when it fails.
 */
export function ExportCsvButton({
  build,
  disabled,
}: {
  build: () => Promise<Result<{ fileName: string; csv: string }>>;
  disabled?: boolean;
}) {
  const [exporting, setExporting] = useState(false);
  return (
    <Button
      variant="default"
      leftSection={<IconDownload size={16} />}
      disabled={disabled}
      loading={exporting}
      onClick={async () => {
        setExporting(true);
        const r = await build();
        setExporting(false);
        if (r.ok) downloadText(r.value.fileName, r.value.csv);
        else
          notifications.show({
            color: 'red',
            title: 'Export failed',
            message: describeError(r.error),
            autoClose: 8000,
          });
      }}
    >
      Export CSV
    </Button>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed" size="sm">
          {label}
        </Text>
      </Group>
    </Center>
  );
}

export function ErrorAlert({ error, title }: { error: ApiError; title?: string }) {
  return (
    <Alert
      color="red"
      icon={<IconAlertTriangle size={18} />}
      title={title ?? 'Could not load'}
      role="alert"
    >
      {describeError(error)}
    </Alert>
  );
}

/** A button that asks first (destructive actions). */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  onConfirm,
  ...buttonProps
}: ButtonProps & {
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown> | void;
  'aria-label'?: string;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button {...buttonProps} onClick={() => setOpen(true)}>
        {children}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title} centered>
        <Stack>
          <Text size="sm">{message}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await onConfirm();
                } finally {
                  setBusy(false);
                  setOpen(false);
                }
              }}
            >
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/**
 * Delete, after asking. With `rowName` it is the trash icon of a table row ("Delete <name>");
 * without, a labelled button for a page header.
 */
export function ConfirmDeleteButton({
  title,
  message,
  onConfirm,
  rowName,
  children,
}: {
  /** The dialog title, also the confirming button's label ("Delete floor"). */
  title: string;
  message: ReactNode;
  onConfirm: () => Promise<unknown> | void;
  rowName?: string;
  children?: ReactNode;
}) {
  const common = { color: 'red', title, message, confirmLabel: title, onConfirm };
  return rowName !== undefined ? (
    <ConfirmButton {...common} variant="subtle" size="compact-sm" aria-label={`Delete ${rowName}`}>
      <IconTrash size={16} />
    </ConfirmButton>
  ) : (
    <ConfirmButton {...common} variant="light" leftSection={<IconTrash size={16} />}>
      {children}
    </ConfirmButton>
  );
}
