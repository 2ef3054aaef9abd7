// Where the session token lives between page loads.
//
// sessionStorage, not localStorage: it survives a reload (the WebSocket transport re-sends
// `session-resume` with it) but is scoped to this tab and gone when the tab or browser closes.
// The headless UI is often opened on a shared PC in the building's comms room; a token left in
// localStorage would keep the next person logged in as the strata manager for the whole session
// lifetime. Each tab logging in on its own is the smaller cost.
const KEY = 'stratacharge.session';

export const tokenStore = {
  get(): string | null {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(token: string): void {
    try {
      sessionStorage.setItem(KEY, token);
    } catch {
      // Storage disabled (privacy mode): the session still works until the next reload.
    }
  },
  clear(): void {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // ignore
    }
  },
};
