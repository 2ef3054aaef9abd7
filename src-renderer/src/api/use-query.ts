// Data fetching for pages: one method call, loading/error state, and a refresh whenever a core
// event says the data changed (the UI never polls).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../../src-shared/api/contract';
import type { ApiError } from '../../../src-shared/api/result';
import type { CoreEvent } from '../../../src-shared/api/events';
import { api } from './client';

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | null;
  /** True until the first answer (later refreshes keep showing the old data). */
  loading: boolean;
  refresh: () => void;
  /** Replace the data locally (optimistic/live patching from events). */
  setData: (update: (prev: T | undefined) => T | undefined) => void;
}

export interface QueryOptions {
  /** Refetch when this returns true for a pushed event. */
  refreshOn?: (event: CoreEvent) => boolean;
  /** Skip the call (e.g. the id is not known yet). */
  enabled?: boolean;
}

export function useQuery<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  options: QueryOptions = {},
): QueryState<MethodOutput<M>> {
  const { refreshOn, enabled = true } = options;
  const key = JSON.stringify(input);
  const [data, setDataState] = useState<MethodOutput<M> | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  const refreshOnRef = useRef(refreshOn);
  useEffect(() => {
    refreshOnRef.current = refreshOn;
  });

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const parsedInput = JSON.parse(key) as MethodInput<M>;
    void api.call(method, parsedInput).then((result) => {
      if (!live) return;
      if (result.ok) {
        setDataState(result.value);
        setError(null);
      } else setError(result.error);
      setLoading(false);
    });
    return () => {
      live = false;
    };
  }, [method, key, tick, enabled]);

  useEffect(
    () =>
      api.onEvent((event) => {
        if (refreshOnRef.current?.(event)) setTick((t) => t + 1);
      }),
    [],
  );

  // Events pushed while the link was down are lost: refetch once it is back.
  useEffect(() => {
    let wasDown = false;
    return api.onLinkState((state) => {
      if (state !== 'open') wasDown = true;
      else if (wasDown) {
        wasDown = false;
        setTick((t) => t + 1);
      }
    });
  }, []);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback(
    (update: (prev: MethodOutput<M> | undefined) => MethodOutput<M> | undefined) =>
      setDataState(update),
    [],
  );
  return { data, error, loading, refresh, setData };
}
