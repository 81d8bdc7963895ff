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
    // The product core runs in plain Node: the Electron shell is a host, never a dependency (architecture.md).
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'main/core never imports electron; use a port.' }] },
      ],
    },
  },
  {
    // The renderer sees only window.contactsBackup: no Node, no Electron, no core internals.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only to window.contactsBackup.' }],
          patterns: [
            { group: nodeBuiltinPatterns, message: 'The renderer runs in a sandbox: no Node modules.' },
            {
              // A regex: gitignore-style groups cannot re-include a file under an excluded folder.
              regex: '(^|/)main/core/(?!api/(contract-types|ws-protocol)$)',
              message: 'Only the API contract types may be shared with the renderer.',
            },
          ],
        },
      ],
    },
  },
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
  {
    files: ['main/electron/**/*.ts', 'main/cli/**/*.ts', 'main/web/**/*.ts', 'preload/**/*.ts'],
    ignores: ['main/electron/ipc-transport.ts', 'preload/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Raw IPC lives in its transport file only.',
            },
          ],
        },
      ],
    },
  },
);
