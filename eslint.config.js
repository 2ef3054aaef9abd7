// One lint for the whole repo. Besides the usual rules it enforces the runtime layers
// (docs/ARCHITECTURE.md): only src-main/electron may import 'electron'; src-shared is
// runtime-neutral (no node builtins, no DOM globals); the renderer never reaches into the core;
// inside src-main, no import circle and no domain importing the API layer or the composition root.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import localRules from './eslint-rules/no-import-cycle.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = {
  name: 'electron',
  message: "Only src-main/electron/ may import 'electron': the core must run headless under Node.",
};
const noElectronPattern = {
  group: ['electron/*'],
  message: "Only src-main/electron/ may import 'electron'.",
};

const coreNoUi = [
  noElectronPattern,
  { group: ['**/src-renderer/**'], message: 'The core never imports UI code.' },
];
/** The outer layers of src-main, which may import the API layer and the composition root. */
const OUTER_LAYERS = [
  'src-main/api/**',
  'src-main/http/**',
  'src-main/electron/**',
  'src-main/sim/**',
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'src-main/db/migrations/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.ts'],
    ignores: ['src-renderer/**', 'src-shared/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Everything outside the Electron layer: no electron imports.
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    ignores: ['src-main/electron/**', 'electron.vite.config.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noElectronPattern] }],
    },
  },
  {
    // Runtime-neutral shared code: no node builtins, no electron, no DOM.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noElectron,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'src-shared is runtime-neutral: no Node builtins (put it in src-main).',
            })),
          ],
          patterns: [
            noElectronPattern,
            {
              group: ['react', 'react-dom', 'react/*', '@mantine/*'],
              message: 'src-shared is runtime-neutral: no UI libraries.',
            },
            {
              group: ['**/src-main/**', '**/src-renderer/**'],
              message: 'src-shared may not depend on a runtime layer.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location'].map(
          (name) => ({ name, message: 'src-shared is runtime-neutral: no DOM globals.' }),
        ),
        ...['process', 'Buffer', 'require', '__dirname', '__filename', 'global'].map((name) => ({
          name,
          message: 'src-shared is runtime-neutral: no Node globals.',
        })),
      ],
    },
  },
  {
    // The renderer: browser globals, React hooks rules, and no reaching into the core.
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noElectron,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The renderer is sandboxed: no Node builtins.',
            })),
          ],
          patterns: [
            noElectronPattern,
            {
              group: ['**/src-main/**'],
              message: 'The renderer talks to the core only through the typed API client.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: coreNoUi }],
    },
  },
  // Domain folders (every src-main folder but the outer layers api/, http/, electron/, sim/):
  // they are used by the API layer and wired by the composition root (core.ts, services.ts),
  // never the reverse. What they share goes down into platform/ (caller.ts, seams.ts).
  // no-restricted-imports matches the import text, so one block per depth names the exact
  // relative path of src-main/api/, core.ts and services.ts from there.
  ...[1, 2, 3].map((depth) => {
    const up = '\\.\\./'.repeat(depth);
    return {
      files: [`src-main/*/${'*/'.repeat(depth - 1)}*.ts`],
      ignores: OUTER_LAYERS,
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [noElectron],
            patterns: [
              ...coreNoUi,
              {
                regex: `^${up}api(/.*)?$`,
                message:
                  'A domain never imports the API layer (src-main/api/): take what you need from platform/ (Caller) or your own domain.',
              },
              {
                regex: `^${up}(core|services)(\\.[jt]s)?$`,
                message:
                  'A domain never imports the composition root (core.ts, services.ts): take your seams as a parameter (platform/seams.ts).',
              },
            ],
          },
        ],
      },
    };
  }),
  // The two transports (headless service, desktop app) share what both need through platform/
  // and auth/ (service-options.ts, event-audience.ts), never each other: the desktop app once
  // imported the service's CLI parsing from http/.
  {
    files: ['src-main/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            ...coreNoUi,
            {
              regex: '^(\\.\\./)+electron(/.*)?$',
              message:
                'The headless service never imports the desktop app (src-main/electron/): share it through platform/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+http(/.*)?$',
              message:
                'The desktop app never imports the headless service (src-main/http/): share it through platform/.',
            },
          ],
        },
      ],
    },
  },
  {
    // An import circle anywhere in the core (type-only imports included): eslint-rules/.
    files: ['src-main/**/*.ts'],
    plugins: { local: localRules },
    rules: { 'local/no-import-cycle': 'error' },
  },
  {
    // The OCPP server is the hot, much-read core: its files stay small and named for what they
    // do (docs/ocpp.md "Files"), so a newcomer finds a concern by its file name.
    // The simulator likewise (charger.ts, its handlers, options, profiles, composite schedule).
    files: ['src-main/ocpp/**/*.ts', 'src-main/sim/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 450, skipBlankLines: true, skipComments: true }],
    },
  },
);
