import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, createTheme, localStorageColorSchemeManager } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/dates/styles.css';
import { App } from './app/app';

const theme = createTheme({
  primaryColor: 'teal',
  // White text on teal-6 (Mantine's default light shade) is 2.6:1; teal-9 is 5:1 (WCAG AA) for
  // buttons and links. Dark keeps teal-8 (on dark surfaces the lighter shades read better).
  primaryShade: { light: 9, dark: 8 },
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
});

// The light/dark choice is a per-computer preference: localStorage (not tied to the session).
const colorSchemeManager = localStorageColorSchemeManager({ key: 'stratacharge-color-scheme' });

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <MantineProvider
        theme={theme}
        colorSchemeManager={colorSchemeManager}
        defaultColorScheme="light"
      >
        {/* Short-lived and at most three: a toast must not sit on a page's buttons for long.
            Successes close after 3 s (lib/actions), errors after 8 s; all can be dismissed. */}
        {/* Above leaflet's panes and controls (z-index up to 1000) on the plan and site map. */}
        <Notifications position="bottom-right" autoClose={4000} limit={3} zIndex={1100} />
        <App />
      </MantineProvider>
    </StrictMode>,
  );
