// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'stream',
  'worker_threads',
];
const nodeBuiltinPatterns = ['node:*', ...nodeBuiltins, ...nodeBuiltins.map((name) => `${name}/*`)];

/*
 * Layers (issue 13 item 5): what each folder may import, as its README.md says under "may import".
 * A file gets one `no-restricted-imports` setting (a later config object replaces the options of an
 * earlier one), so each folder's setting below repeats what holds for all of main/core. Import cycles
 * between folders are checked by scripts/check-layer-cycles.mjs (npm run lint).
 */
const electronPath = { name: 'electron', message: 'main/core never imports electron; use a port.' };
const rawIpcPath = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw IPC lives in its transport file only.',
};
/** A provider that has an index.ts is used through it only (its README). */
const providerInternals = {
  regex: '(^|/)providers/(google|microsoft|carddav)/(?!index$)[^/]+$',
  message: 'Import a provider only from its index.ts.',
};
const hostsFromCore = {
  regex: '^\\.{1,2}/(.*/)?(cli|web|electron|preload|renderer)(/|$)',
  message: 'main/core never imports a host (main/cli, main/web, main/electron) or the UI.',
};
const coreBase = { paths: [electronPath], patterns: [providerInternals, hostsFromCore] };

/**
 * Folder `folder` of main/core may import its own files, `node:` built-ins, the app files matched by
 * `app` (regexes over the import path, e.g. '\\.\\./vault/') and the npm packages in `packages`
 * (any package when not given). `says` is its README's rule, shown with the error.
 *
 * @param {string} folder
 * @param {{ app: string[], packages?: string[], says: string }} rule
 */
function mayImport(folder, { app, packages, says }) {
  const allowed = [
    '\\./',
    'node:',
    ...app,
    ...(packages ? packages.map((name) => `${name}(/|$)`) : ['[^.]']),
  ];
  return {
    files: [`main/core/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPath],
          patterns: [
            providerInternals,
            { regex: `^(?!(${allowed.join('|')}))`, message: `main/core/${folder}/README.md: ${says}` },
          ],
        },
      ],
    },
  };
}

/** What any file of the CLI may not import; the commands' rule adds to it (a later rule replaces). */
const cliBase = {
  paths: [{ name: 'electron', message: 'main/cli/README.md: never electron.' }],
  patterns: [
    providerInternals,
    {
      regex: '^\\.{1,2}/(.*/)?(electron|preload|renderer)(/|$)',
      message: 'main/cli/README.md: may import main/core and main/web only.',
    },
  ],
};

const layerRules = [
  {
    // The product core runs in plain Node: the Electron shell is a host, never a dependency (architecture.md).
    files: ['main/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreBase] },
  },
  mayImport('contacts', { app: [], packages: [], says: 'may import node built-ins only.' }),
  mayImport('vault', {
    app: [],
    packages: ['lowdb', '@zxcvbn-ts'],
    says: 'may import node built-ins, lowdb and @zxcvbn-ts only.',
  }),
  mayImport('licensing', { app: [], packages: ['zod'], says: 'may import node built-ins and zod only.' }),
  mayImport('contract', {
    app: ['\\.\\./contacts/model$', '\\.\\./jobs/types$', '\\.\\./history/contact-queries$'],
    packages: ['zod'],
    says: 'may import zod, and contacts/model, jobs/types and history/contact-queries (types) only.',
  }),
  mayImport('history', {
    app: ['\\.\\./(vault|contacts)/', '\\.\\./providers/provider$', '\\.\\./(time-slice|plural)$'],
    says: 'may import vault/, contacts/, providers/provider.ts, time-slice.ts and plural.ts only.',
  }),
  mayImport('jobs', {
    app: ['\\.\\./ports$', '\\.\\./history/history-store$'],
    says: 'may import ports.ts and history/history-store.ts only.',
  }),
  mayImport('restore', {
    app: [
      '\\.\\./(contacts|history|vault)/',
      '\\.\\./providers/(provider|restore-identity)$',
      '\\.\\./plural$',
    ],
    says: 'may import contacts/, history/, vault/, providers/provider.ts, providers/restore-identity.ts and plural.ts only.',
  }),
  mayImport('schedule', {
    app: ['\\.\\./ports$'],
    packages: ['croner', 'node-cron'],
    says: 'may import ports.ts, croner, node-cron and node built-ins only.',
  }),
  mayImport('providers/google', {
    app: ['\\.\\./\\.\\./(ports|plural|contacts/model)$', '\\.\\./(provider|restore-identity|retry)$'],
    packages: ['@googleapis/people', '@googleapis/admin', 'google-auth-library'],
    says: 'may import @googleapis/people, @googleapis/admin, google-auth-library, node built-ins, ports, plural, contacts/model, providers/provider, providers/restore-identity and providers/retry only.',
  }),
  mayImport('providers/microsoft', {
    app: ['\\.\\./\\.\\./(ports|contacts/model)$', '\\.\\./(provider|restore-identity|retry)$'],
    packages: ['@azure/msal-node'],
    says: 'may import @azure/msal-node, node built-ins, ports, contacts/model, providers/provider, providers/restore-identity and providers/retry only.',
  }),
  mayImport('providers/carddav', {
    app: ['\\.\\./\\.\\./(ports|plural)$', '\\.\\./\\.\\./contacts/', '\\.\\./provider(-descriptor)?$'],
    packages: ['zod'],
    says: 'may import zod, node built-ins, ports, plural, contacts/, providers/provider and providers/provider-descriptor only.',
  }),
  {
    // Session services sit below the API and the composition root (session-host.ts is what they see of the app).
    files: ['main/core/session/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...coreBase,
          patterns: [
            ...coreBase.patterns,
            {
              regex: '^\\.\\./(api/|app$)',
              message:
                'main/core/session/README.md: may import everything in main/core except api/ and app.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', cliBase] },
  },
  {
    // Issue 13 item 2: a command does its work through the API (cli-context's `api.call`), the same
    // channels the app's windows call, never through a session service or a handler directly.
    // A justified exception would be listed in `ignores` by file name (main/cli/README.md says why).
    files: ['main/cli/commands/**/*.ts'],
    ignores: [],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...cliBase,
          patterns: [
            ...cliBase.patterns,
            {
              regex: '(^|/)core/(session/|api/handlers$)',
              message:
                'main/cli/README.md: a command calls the API (`api.call` from cli-context), not session services or handlers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/web/README.md: never electron.' }],
          patterns: [
            providerInternals,
            {
              regex: '^\\.{1,2}/(.*/)?(cli|electron|preload|renderer)(/|$)',
              message: 'main/web/README.md: may import main/core and ws only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            providerInternals,
            {
              regex: '^\\.{1,2}/(.*/)?(cli|web|preload|renderer)(/|$)',
              message: 'main/electron/README.md: may import electron and main/core only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Raw ipcMain lives in exactly one transport file (style.md, GitHub Desktop).
    files: ['main/electron/**/*.ts'],
    ignores: ['main/electron/ipc-transport.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [rawIpcPath],
          patterns: [
            providerInternals,
            {
              regex: '^\\.{1,2}/(.*/)?(cli|web|preload|renderer)(/|$)',
              message: 'main/electron/README.md: may import electron and main/core only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)main/(?!core/contract/contract-types$)',
              message: 'preload/README.md: may import electron and main/core/contract/contract-types only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    ignores: ['preload/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [rawIpcPath],
          patterns: [
            {
              regex: '(^|/)main/(?!core/contract/contract-types$)',
              message: 'preload/README.md: may import electron and main/core/contract/contract-types only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer sees only window.contactsBackup: no Node, no Electron, no core internals.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only to window.contactsBackup.' }],
          patterns: [
            { group: nodeBuiltinPatterns, message: 'The renderer runs in a sandbox: no Node modules.' },
            {
              // A regex: gitignore-style groups cannot re-include a file under an excluded folder.
              regex: '(^|/)main/core/(?!(contract/contract-types|api/ws-protocol)$)',
              message: 'renderer/README.md: only the API contract types may be shared with the renderer.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'coverage/**',
      'test-results/**',
      'assets/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (style.md).' },
      ],
    },
  },
  {
    // Build scripts and the bin run in Node.
    files: ['**/*.mjs', 'bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // Tool configuration files must default-export (Vite, Vitest, ESLint read the default export).
    files: ['eslint.config.js', '*.config.ts', 'renderer/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...layerRules,
  {
    // Raw ipcMain / ipcRenderer live in exactly one transport file each (style.md, GitHub Desktop).
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['main/electron/ipc-transport.ts', 'preload/preload.ts', 'tests/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'electron', property: 'ipcMain', message: 'Use main/electron/ipc-transport.ts.' },
        { object: 'electron', property: 'ipcRenderer', message: 'Use preload/preload.ts.' },
      ],
      'no-restricted-globals': ['error', 'ipcMain', 'ipcRenderer'],
    },
  },
);
