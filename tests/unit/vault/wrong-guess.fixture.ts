/** One wrong guess in its own process (kdf-and-attempts.test.ts): the count must survive it. */
import { Vault } from '../../../main/core/vault/vault';

await Vault.unlock(process.argv[2], 'not the password at all', { maxWaitMs: 0 }).catch(() => undefined);
