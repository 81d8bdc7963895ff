/**
 * One wrong guess in its own process (kdf-and-attempts.test.ts): the count must survive it. It waits
 * for its slot like a person would (beyond the free attempts a guess must wait), so every guess is
 * counted however fast the processes follow each other.
 */
import { Vault } from '../../../main/core/vault/vault';

await Vault.unlock(process.argv[2], 'not the password at all', { maxWaitMs: 60_000 }).catch(() => undefined);
