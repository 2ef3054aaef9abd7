// Active alarms for the whole shell: counts per station and site (the navigator, the floor plan
// and the dashboard read them), refreshed when the core says an alarm changed, never polled; and
// the in-app toast for a new alarm (in the browser; the desktop app shows a native notification
// from its main process instead), as the user's preferences allow (the core decides).
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { Anchor, Text } from '@mantine/core';
import { api } from '../api/client';
import { useQuery } from '../api/use-query';
import { SEVERITY_LABELS, type Severity } from '../../../src-shared/alarms';
import type { CoreEvent } from '../../../src-shared/api/events';

export interface AlarmCount {
  count: number;
  severity: Severity;
}

interface AlarmsState {
  total: number;
  bySeverity: Record<Severity, number>;
  station(stationId: number): AlarmCount | null;
  site(siteId: number): AlarmCount | null;
  /** After the user saved their preferences. */
  reloadPrefs(): void;
}

const EMPTY: AlarmsState = {
  total: 0,
  bySeverity: { critical: 0, warning: 0, info: 0 },
  station: () => null,
  site: () => null,
  reloadPrefs: () => undefined,
};

const AlarmsContext = createContext<AlarmsState>(EMPTY);

/** Mantine colour of a severity (the same everywhere: badges, pins, panels). */
export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: 'red',
  warning: 'orange',
  info: 'blue',
};

const isAlarmEvent = (e: CoreEvent) => e.type === 'alarm-raised' || e.type === 'alarm-changed';

export function AlarmsProvider({ children, enabled }: { children: ReactNode; enabled: boolean }) {
  const summary = useQuery('alarm-summary', {}, { refreshOn: isAlarmEvent, enabled });
  const prefs = useQuery('alarm-prefs-get', {}, { enabled });
  const navigate = useNavigate();

  useEffect(() => {
    // The desktop app's main process shows a native notification (electron/notifications.ts).
    if (!enabled || window.strataCharge) return;
    return api.onEvent((e) => {
      if (e.type !== 'alarm-raised') return;
      // The core decides, as for the desktop: this user's severities, sites and quiet hours.
      void api.call('alarm-popup-check', { alarmId: e.alarmId }).then((r) => {
        if (!r.ok || !r.value.show) return;
        notifications.show({
          id: `alarm-${e.alarmId}`,
          color: SEVERITY_COLOR[e.severity],
          title: `${SEVERITY_LABELS[e.severity]} alarm`,
          autoClose: 15_000,
          message: (
            <>
              <Text size="sm" data-testid="alarm-toast" data-severity={e.severity}>
                {e.title}
              </Text>
              <Anchor
                size="sm"
                component="button"
                onClick={() => {
                  notifications.hide(`alarm-${e.alarmId}`);
                  void navigate('/alarms');
                }}
              >
                Open active alarms
              </Anchor>
            </>
          ),
        });
      });
    });
  }, [enabled, navigate]);

  const value = useMemo<AlarmsState>(() => {
    const data = summary.data;
    if (!data) return { ...EMPTY, reloadPrefs: prefs.refresh };
    const stations = new Map(data.stations.map((s) => [s.stationId, s]));
    const bySite = new Map(data.sites.map((s) => [s.siteId, s]));
    return {
      total: data.total,
      bySeverity: data.bySeverity,
      station: (id) => stations.get(id) ?? null,
      site: (id) => bySite.get(id) ?? null,
      reloadPrefs: prefs.refresh,
    };
  }, [summary.data, prefs.refresh]);

  return <AlarmsContext.Provider value={value}>{children}</AlarmsContext.Provider>;
}

export function useAlarms(): AlarmsState {
  return useContext(AlarmsContext);
}

/** "2 active alarms (critical)": what a badge says to a screen reader. */
export const alarmBadgeLabel = (a: AlarmCount) =>
  `${a.count} active alarm${a.count === 1 ? '' : 's'} (worst: ${a.severity})`;
