/**
 * Issue 13 item 3: a source kind registered in a handful of lines shows up in the API contract
 * (providers.list, accounts.connect, accounts.list), the CLI's `account add` list and the app's
 * connect list, with no other file changed.
 */
import { Command } from 'commander';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { z } from 'zod';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../main/core/app';
import { createRouter } from '../../../main/core/api/router';
import type { AccountView, ProviderView, Result } from '../../../main/core/contract/contract-types';
import { providerInfos, registerProvider } from '../../../main/core/accounts/provider-registry';
import { emptyContact } from '../../../main/core/contacts/model';
import { registerAccountCommands } from '../../../main/cli/commands/account-commands';
import { ConnectChoices, ConnectForm } from '../../../renderer/src/components/connect-list';
import { resetStore } from '../../../renderer/src/store/store';
import { MemoryBook, memoryProvider } from '../../support/memory-provider';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);
const trusted = { trusted: true, description: 'test' };
let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  resetStore();
});

/** The whole registration of a new kind. */
function registerToy(): () => void {
  const book = new MemoryBook();
  book.put('t1', { ...emptyContact('Toy Person'), folderIds: [] });
  return registerProvider({
    kind: 'toy',
    displayName: 'Toy address book',
    description: 'A test source.',
    settingsSchema: z.object({ shelf: z.string() }).strict(),
    create: () => memoryProvider(book),
    seatSource: () => 'own',
    capabilities: { writable: false, folders: false, photos: false },
    connect: {
      flow: 'form',
      fields: [
        { name: 'shelf', label: 'Shelf', type: 'text', required: true },
        { name: 'token', label: 'Token', type: 'password', required: true, secret: true },
      ],
      prepare: (values, secret) => ({
        label: `Toy ${values.shelf}`,
        settings: { shelf: values.shelf },
        secrets: { secret },
      }),
    },
  });
}

describe('provider registry', () => {
  it('puts a registered kind in the contract: providers.list, accounts.connect, accounts.list', async () => {
    unregister = registerToy();
    const app = createApp({ home: await tempDir(), host: 'web' });
    const router = createRouter(app);
    await router.call('profile.create', { name: 'Tester', password: 'test password 1' }, trusted);
    const providers = (await router.call('providers.list', {}, trusted)) as Result<ProviderView[]>;
    expect(providers.ok).toBe(true);
    const kinds = providers.ok ? providers.value.map((provider) => provider.kind) : [];
    expect(kinds).toEqual(['sample', 'vcard', 'pst', 'google', 'microsoft', 'carddav', 'toy']);
    const toy = providers.ok ? providers.value.find((provider) => provider.kind === 'toy') : undefined;
    expect(toy?.connect).toMatchObject({
      flow: 'form',
      fields: [{ name: 'shelf' }, { name: 'token', secret: true }],
    });

    const connected = await router.call(
      'accounts.connectForm',
      { kind: 'toy', values: { shelf: 'top' }, secret: 's3cret' },
      trusted,
    );
    expect(connected).toMatchObject({
      ok: true,
      value: { kind: 'toy', kindName: 'Toy address book', label: 'Toy top' },
    });
    const unknownField = await router.call(
      'accounts.connectForm',
      { kind: 'toy', values: { shelf: 'a', colour: 'red' } },
      trusted,
    );
    expect(unknownField).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: 'Toy address book has no field "colour".' },
    });
    const list = (await router.call('accounts.list', {}, trusted)) as Result<AccountView[]>;
    expect(list.ok && list.value.map((account) => account.label)).toEqual(['Toy top']);
    // The secret is sealed with the account's secrets, never in its settings.
    const session = app.requireSession();
    expect(JSON.stringify(session.accounts.all())).not.toContain('s3cret');
    await app.lock();
  });

  it('puts a registered kind in the CLI’s `account add` list with its fields as options', () => {
    unregister = registerToy();
    const program = new Command();
    registerAccountCommands(program, () => ({}));
    const add = program.commands
      .find((c) => c.name() === 'account')!
      .commands.find((c) => c.name() === 'add')!;
    expect(add.commands.map((c) => c.name())).toEqual(expect.arrayContaining(['carddav', 'toy']));
    const toy = add.commands.find((c) => c.name() === 'toy')!;
    const flags = toy.options.map((option) => option.long);
    expect(flags).toEqual(expect.arrayContaining(['--shelf', '--secret-stdin', '--label']));
    expect(flags).not.toContain('--token');
    const carddav = add.commands.find((c) => c.name() === 'carddav')!;
    expect(carddav.options.map((option) => option.long)).toEqual(
      expect.arrayContaining(['--preset', '--server', '--user', '--secret-stdin']),
    );
    expect(carddav.options.map((option) => option.long)).not.toContain('--password');
  });

  it('puts a registered kind in the app’s connect list, with its form generated from the fields', () => {
    unregister = registerToy();
    const html = renderToString(
      createElement(ConnectChoices, {
        providers: providerInfos(),
        open: undefined,
        onToggle: () => undefined,
      }),
    );
    expect(html).toContain('data-testid="connect-open-toy"');
    expect(html).toContain('data-testid="connect-open-carddav"');
    expect(html).not.toContain('data-testid="connect-open-google"');
    const toy = providerInfos().find((provider) => provider.kind === 'toy')!;
    const form = renderToString(createElement(ConnectForm, { provider: toy }));
    expect(form).toContain('data-testid="connect-field-shelf"');
    expect(form).toMatch(
      /data-testid="connect-field-token"[^>]*type="password"|type="password"[^>]*data-testid="connect-field-token"/,
    );
  });

  it('shows the CardDAV server address only for Nextcloud and other servers', () => {
    const carddav = providerInfos().find((provider) => provider.kind === 'carddav')!;
    const form = renderToString(createElement(ConnectForm, { provider: carddav }));
    // The default preset is "other server": the address is asked for.
    expect(form).toContain('data-testid="connect-field-server"');
    expect(form).toContain('iCloud');
    expect(form).toContain('Fastmail');
  });
});
