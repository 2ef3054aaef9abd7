import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * Dev server only (`electron-vite dev`): @vitejs/plugin-react injects its Fast Refresh preamble as
 * an inline <script type="module">, which index.html's `script-src 'self'` forbids whenever the
 * tag lands after the CSP meta (its position is up to Vite/the plugin). Allow inline scripts in dev;
 * `vite build` never runs this, so the packaged app and the service keep the strict policy.
 */
function devCspForFastRefresh(): Plugin {
  return {
    name: 'stratacharge:dev-csp',
    apply: 'serve',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
    },
  };
}

// One build, three targets. The main bundle also carries the plain-Node entry points (headless
// service, charger simulator, benchmarks): they share the core and never import 'electron'.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Node 20 (service, tests here) and Electron's Node 22 (desktop app) both run this output.
      target: 'node20',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          server: resolve(__dirname, 'src-main/server.ts'),
          simulate: resolve(__dirname, 'src-main/sim/cli.ts'),
          // Invoice PDFs off the main thread (src-main/billing/pdf/pool.ts finds it beside the
          // entry that loads the pool: out/main/pdf-worker.js).
          'pdf-worker': resolve(__dirname, 'src-main/billing/pdf/worker.ts'),
          bench: resolve(__dirname, 'bench/index.ts'),
          'bench-balancing': resolve(__dirname, 'bench/balancing.ts'),
          'bench-balancing-latency': resolve(__dirname, 'bench/balancing-latency.ts'),
          'bench-residents': resolve(__dirname, 'bench/residents-import.ts'),
          'bench-sessions': resolve(__dirname, 'bench/sessions.ts'),
          'bench-reports': resolve(__dirname, 'bench/reports.ts'),
          'bench-billing': resolve(__dirname, 'bench/billing.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
        // A sandboxed preload cannot load ES modules: emit CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react(), devCspForFastRefresh()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
