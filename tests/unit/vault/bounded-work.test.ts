import { describe, expect, it } from 'vitest';
import { BoundedWork } from '../../../main/core/vault/bounded-work';
import { isIncompressible } from '../../../main/core/vault/incompressible';
import { randomBytes } from 'node:crypto';

/** A promise with its resolve and reject at hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('BoundedWork', () => {
  it('never runs more than its limit at once, and drain waits for all', async () => {
    const work = new BoundedWork(3);
    const gates = Array.from({ length: 7 }, deferred);
    let running = 0;
    let most = 0;
    let finished = 0;
    const adding = (async () => {
      for (const gate of gates) {
        await work.add(async () => {
          running += 1;
          most = Math.max(most, running);
          await gate.promise;
          running -= 1;
          finished += 1;
        });
      }
    })();
    // The fourth add waits for a slot: only three have started.
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(3);
    for (const gate of gates) {
      gate.resolve();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await adding;
    await work.drain();
    expect(finished).toBe(7);
    expect(most).toBe(3);
  });

  it('drain fails with the first failure, and later adds fail at once', async () => {
    const work = new BoundedWork(2);
    const first = deferred();
    await work.add(() => first.promise);
    await work.add(() => Promise.reject(new Error('disk full')));
    // drain waits for the write still running before it reports the failure.
    let drained = false;
    const draining = work.drain().finally(() => {
      drained = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    first.resolve();
    await expect(draining).rejects.toThrow('disk full');
    await expect(work.add(async () => undefined)).rejects.toThrow('disk full');
    // settle forgets the failure's reason and just waits.
    await expect(work.settle()).resolves.toBeUndefined();
  });
});

describe('isIncompressible', () => {
  it('skips deflate for known image formats and for bytes a sample shows do not shrink', () => {
    expect(isIncompressible(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))).toBe(true);
    expect(isIncompressible(randomBytes(40_000))).toBe(true);
    expect(isIncompressible(Buffer.from('BEGIN:VCARD\r\nNOTE:hello\r\n'.repeat(2000)))).toBe(false);
    // Too short to probe: deflated as before (the sealed format skips tiny files itself).
    expect(isIncompressible(randomBytes(1000))).toBe(false);
  });
});
