// The filters the three alarm views share (site, severity, rule, words): kept in the page while
// the user switches views, debounced for typing, and handed to the list and its CSV export alike.
import { useState } from 'react';
import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import {
  ALARM_RULES,
  ALARM_RULE_IDS,
  SEVERITIES,
  SEVERITY_LABELS,
  type AlarmRuleId,
  type Severity,
} from '../../../../src-shared/alarms';
import type { AlarmFilter } from '../../../../src-shared/api/methods/alarms';
import { useTree } from '../../app/tree';

export interface AlarmFilterState {
  filter: AlarmFilter;
  /** Serialised, for resetting the pager when it changes. */
  key: string;
  filtered: boolean;
  clear(): void;
  bar: React.ReactNode;
}

export function useAlarmFilters(): AlarmFilterState {
  const tree = useTree();
  const [siteId, setSiteId] = useState<string | null>(null);
  const [severity, setSeverity] = useState<string | null>(null);
  const [rule, setRule] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [dText] = useDebouncedValue(text.trim(), 300);
  const filter: AlarmFilter = {
    ...(siteId ? { siteId: Number(siteId) } : {}),
    ...(severity ? { severity: severity as Severity } : {}),
    ...(rule ? { rule: rule as AlarmRuleId } : {}),
    ...(dText ? { text: dText } : {}),
  };
  const sites = tree.data?.sites ?? [];
  const bar = (
    <Group align="flex-end" wrap="wrap">
      {sites.length > 1 ? (
        <Select
          label="Site"
          placeholder="All sites"
          clearable
          data={sites.map((s) => ({ value: String(s.id), label: s.name }))}
          value={siteId}
          onChange={setSiteId}
          w={220}
        />
      ) : null}
      <Select
        label="Severity"
        placeholder="Any severity"
        clearable
        data={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
        value={severity}
        onChange={setSeverity}
        w={160}
      />
      <Select
        label="What"
        placeholder="Any kind"
        clearable
        data={ALARM_RULE_IDS.map((r) => ({ value: r, label: ALARM_RULES[r].label }))}
        value={rule}
        onChange={setRule}
        w={230}
      />
      <TextInput
        label="Search"
        placeholder="Charger, error, info text…"
        leftSection={<IconSearch size={14} />}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        w={240}
      />
    </Group>
  );
  return {
    filter,
    key: JSON.stringify(filter),
    filtered: Object.keys(filter).length > 0,
    clear() {
      setSiteId(null);
      setSeverity(null);
      setRule(null);
      setText('');
    },
    bar,
  };
}
