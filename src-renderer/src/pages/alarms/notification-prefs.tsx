// "My notifications": what this user is told about alarms, and how. Immediate email per severity,
// which sites, quiet hours (on each site's own clock), the daily digest ("email at alarm") and
// pop-ups per severity. Saved per user in the core (alarm-prefs-set, audited).
import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '../../api/use-query';
import { useTree } from '../../app/tree';
import { useAlarms } from '../../app/alarms';
import { runAction } from '../../lib/actions';
import { ErrorAlert, Loading } from '../../components/common';
import { SEVERITIES, SEVERITY_LABELS, type Severity } from '../../../../src-shared/alarms';
import type { MethodInput } from '../../../../src-shared/api/contract';

type Prefs = MethodInput<'alarm-prefs-set'>;

export function NotificationPrefs() {
  const q = useQuery('alarm-prefs-get', {});
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Loading />;
  const { digestJobs, ...prefs } = q.data;
  // Saved: the form starts again from what the core kept.
  return (
    <PrefsForm
      key={JSON.stringify(q.data)}
      initial={prefs}
      digestJobs={digestJobs}
      onSaved={q.refresh}
    />
  );
}

function PrefsForm({
  initial,
  digestJobs,
  onSaved,
}: {
  initial: Prefs;
  digestJobs: number;
  onSaved(): void;
}) {
  const tree = useTree();
  const { reloadPrefs } = useAlarms();
  const [form, setForm] = useState<Prefs>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<Prefs>) => setForm({ ...form, ...patch });
  const sites = tree.data?.sites ?? [];
  const quiet = form.quietFrom !== null || form.quietTo !== null;

  async function save() {
    setSaving(true);
    setErrors({});
    const r = await runAction('alarm-prefs-set', form, {
      success: 'Notification settings saved',
      onError: (e) => {
        const fields = e.fields ?? (e.field ? [{ field: e.field, message: e.message }] : []);
        if (fields.length === 0) return false;
        setErrors(Object.fromEntries(fields.map((f) => [f.field, f.message])));
        return true;
      },
    });
    setSaving(false);
    if (r.ok) {
      reloadPrefs();
      onSaved();
    }
  }

  return (
    <Paper withBorder p="lg" maw={720} component="section" aria-label="My notifications">
      <Stack>
        <div>
          <Title order={4}>Email me at once</Title>
          <Text size="sm" c="dimmed">
            One email per new alarm of these severities (repeats of an open alarm are counted, not
            emailed again). Email must be set up under Email → Mail server.
          </Text>
        </div>
        <Checkbox.Group
          value={form.emailSeverities}
          onChange={(v) => set({ emailSeverities: v as Severity[] })}
          aria-label="Severities emailed at once"
        >
          <Group>
            {SEVERITIES.map((s) => (
              <Checkbox key={s} value={s} label={SEVERITY_LABELS[s]} />
            ))}
          </Group>
        </Checkbox.Group>
        {sites.length > 1 ? (
          <MultiSelect
            label="Sites"
            description="Leave empty for every site you look after."
            placeholder="Every site"
            data={sites.map((s) => ({ value: String(s.id), label: s.name }))}
            value={(form.siteIds ?? []).map(String)}
            onChange={(v) => set({ siteIds: v.length ? v.map(Number) : null })}
            error={errors.siteIds}
          />
        ) : null}
        <Switch
          label="Quiet hours: no immediate email or pop-up during these hours (the alarm is in the next digest)"
          checked={quiet}
          onChange={(e) =>
            set(
              e.currentTarget.checked
                ? { quietFrom: '22:00', quietTo: '07:00' }
                : { quietFrom: null, quietTo: null },
            )
          }
        />
        {quiet ? (
          <Group>
            <TextInput
              type="time"
              label="From"
              value={form.quietFrom ?? ''}
              onChange={(e) => set({ quietFrom: e.currentTarget.value || null })}
              error={errors.quietFrom}
              w={140}
            />
            <TextInput
              type="time"
              label="To"
              value={form.quietTo ?? ''}
              onChange={(e) => set({ quietTo: e.currentTarget.value || null })}
              error={errors.quietTo}
              w={140}
            />
            <Text size="xs" c="dimmed" maw={260}>
              On each site’s own clock (its time zone).
            </Text>
          </Group>
        ) : null}
        <div>
          <Title order={4}>Daily digest</Title>
          <Text size="sm" c="dimmed">
            Every day, the alarms still active, in one email (none active: no email).
          </Text>
        </div>
        <Group align="flex-end">
          <Switch
            label="Send me the daily digest"
            checked={form.digest}
            onChange={(e) => set({ digest: e.currentTarget.checked })}
          />
          <TextInput
            type="time"
            label="At"
            value={form.digestAt}
            onChange={(e) => set({ digestAt: e.currentTarget.value })}
            error={errors.digestAt}
            disabled={!form.digest}
            w={140}
          />
        </Group>
        {form.digest && digestJobs > 1 ? (
          <Alert color="blue" variant="light">
            Your sites are in {digestJobs} time zones: you get one digest at this time in each.
          </Alert>
        ) : null}
        <div>
          <Title order={4}>Pop-ups</Title>
          <Text size="sm" c="dimmed">
            New alarms of these severities pop up in the browser and as a desktop notification in
            the desktop app (for your sites, not in your quiet hours).
          </Text>
        </div>
        <Checkbox.Group
          value={form.popupSeverities}
          onChange={(v) => set({ popupSeverities: v as Severity[] })}
          aria-label="Severities that pop up"
        >
          <Group>
            {SEVERITIES.map((s) => (
              <Checkbox key={s} value={s} label={SEVERITY_LABELS[s]} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button onClick={() => void save()} loading={saving}>
            Save
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
