// Who is logged in, and whether the product still needs its first-run setup.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { User } from '../../../src-shared/model';
import { api } from '../api/client';
import { tokenStore } from '../api/token-store';

export type SessionState =
  | { phase: 'loading' }
  | { phase: 'unreachable'; message: string }
  | { phase: 'setup'; defaultTimeZone: string }
  | { phase: 'login'; notice: string | null }
  | { phase: 'ready'; user: User };

interface SessionApi {
  state: SessionState;
  /** Re-reads setup status and the current user (after login, setup, password change). */
  reload: () => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

/** Setup status, then the current user: which screen to show. */
async function readSession(): Promise<SessionState> {
  const status = await api.call('setup-status', {});
  if (!status.ok) return { phase: 'unreachable', message: status.error.message };
  if (status.value.needsSetup)
    return { phase: 'setup', defaultTimeZone: status.value.defaultTimeZone };
  // The desktop window's IPC connection may be new after a reload: re-attach the session.
  const token = tokenStore.get();
  if (api.kind === 'ipc' && token) await api.call('session-resume', { token });
  const current = await api.call('session-current', {});
  if (current.ok && current.value.user) return { phase: 'ready', user: current.value.user };
  return { phase: 'login', notice: null };
}

/** A failed login attempt keeps the notice (e.g. "session expired") on screen. */
function keepNotice(prev: SessionState, next: SessionState): SessionState {
  if (prev.phase === 'login' && next.phase === 'login') return prev;
  return next;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ phase: 'loading' });

  const reload = useCallback(async () => {
    const next = await readSession();
    setState((prev) => keepNotice(prev, next));
  }, []);

  const logout = useCallback(async () => {
    await api.call('session-logout', {});
    tokenStore.clear();
    setState({ phase: 'login', notice: 'You have logged out.' });
  }, []);

  useEffect(() => {
    void readSession().then(setState);
    return api.onEvent((event) => {
      if (event.type === 'session-expired')
        setState((prev) =>
          prev.phase === 'ready'
            ? { phase: 'login', notice: 'Your session has expired. Log in again to continue.' }
            : prev,
        );
    });
  }, [reload]);

  return (
    <SessionContext.Provider value={{ state, reload, logout }}>{children}</SessionContext.Provider>
  );
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The logged-in user (only inside the shell, where there is one). */
export function useUser(): User {
  const { state } = useSession();
  if (state.phase !== 'ready') throw new Error('useUser without a session');
  return state.user;
}
