import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreIdOf } from '../../../main/core/providers/restore-identity';
import {
  createMicrosoftProvider,
  saveMicrosoftClientSecret,
  type MicrosoftAccountSettings,
} from '../../../main/core/providers/microsoft';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import { emptyMirror, memorySecrets, mirrorMatches, richContact, syncInto, workContext } from './harness';

const TENANT = '7d3f0b9c-1111-4222-8333-444455556666';
const APP = 'b0b0b0b0-aaaa-4bbb-8ccc-dddddddddddd';
let fake: FakeMicrosoft;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  fake.registerApp(APP, 'app-secret-value');
  fake.addMailbox('alice@contoso.example', { tenantId: TENANT, displayName: 'Alice' });
  fake.addMailbox('bob@contoso.example', { tenantId: TENANT, displayName: 'Bob', accountEnabled: false });
  fake.addMailbox('carol@contoso.example', { tenantId: TENANT, displayName: 'Carol' });
  fake.addMailbox('outsider@fabrikam.example', { tenantId: 'ffffffff-0000-4000-8000-000000000000' });
});
afterAll(() => fake.close());

function tenantSettings(): MicrosoftAccountSettings {
  return {
    clientId: APP,
    mode: 'tenant',
    tenant: { tenantId: TENANT },
    identityBaseUrl: fake.identityOrigin,
    graphBaseUrl: fake.graphBaseUrl,
    knownAuthorities: [new URL(fake.identityOrigin).host],
    extraCaPem: fake.caPem,
    pageSize: 2,
  };
}

describe('Microsoft tenant mode (app-only)', () => {
  it('lists the directory users page by page, with disabled ones marked inactive', async () => {
    const secrets = memorySecrets();
    await saveMicrosoftClientSecret(secrets, 'app-secret-value');
    const provider = createMicrosoftProvider(tenantSettings(), secrets);
    const users = await provider.listUsers(workContext());
    expect(users.map((u) => [u.email, u.active])).toEqual([
      ['alice@contoso.example', true],
      ['bob@contoso.example', false],
      ['carol@contoso.example', true],
    ]);
    expect(fake.state.grants).toContain('client_credentials');
    expect(fake.requests().filter((r) => r.path === '/users').length).toBe(2);
  });

  it('syncs and writes a user mailbox by id', async () => {
    const carol = fake.mailbox('carol@contoso.example');
    const team = fake.addFolder(carol, 'Team');
    for (let n = 0; n < 5; n += 1) fake.addContact(carol, richContact(n), n % 2 ? team : undefined);
    const secrets = memorySecrets();
    await saveMicrosoftClientSecret(secrets, 'app-secret-value');
    const provider = createMicrosoftProvider(tenantSettings(), secrets);
    const mirror = emptyMirror();
    await syncInto(provider, carol.id, mirror);
    mirrorMatches(mirror, carol);
    expect(fake.requests().some((r) => r.path.startsWith(`/users/${carol.id}/contactFolders`))).toBe(true);
    const writer = provider.writer(carol.id);
    const written = await writer?.create(
      [
        {
          key: 'k',
          restoreId: testRestoreId('k'),
          contact: [...mirror.contacts.values()][0].contact,
          folderIds: [team],
        },
      ],
      workContext(),
    );
    expect(written?.[0].ok).toBe(true);
    expect(carol.contacts.size).toBe(6);
    const outsider = fake.mailbox('outsider@fabrikam.example');
    await expect(
      provider.sync(outsider.id, undefined, async () => undefined, workContext()),
    ).rejects.toMatchObject({
      code: 'auth-required',
    });
  });

  it('a wrong client secret asks for new credentials in a plain sentence', async () => {
    const secrets = memorySecrets();
    await saveMicrosoftClientSecret(secrets, 'wrong');
    const provider = createMicrosoftProvider(tenantSettings(), secrets);
    const error = await provider.listUsers(workContext()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth-required' });
    expect((error as Error).message).not.toMatch(/AADSTS|invalid_client/);
  });
});

/** A restore id per test item, as the restore engine would give it. */
function testRestoreId(key: string): string {
  return restoreIdOf('test-run', key);
}
