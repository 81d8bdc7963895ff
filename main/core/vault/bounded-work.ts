/**
 * A few file operations in flight at once beside the work that produces them (issue 20 item 4):
 * a backup that awaited each photo write in turn (stat, mkdir, write, rename: four thread-pool
 * round trips each) spent a third of its time idle. `add` waits only while `limit` are running;
 * `drain` waits for all of them and fails with the first failure, so a commit that follows
 * `drain` never references a write that did not land.
 */
export class BoundedWork {
  private readonly running = new Set<Promise<void>>();
  private failure: { readonly error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  /** Starts `work` once fewer than `limit` are running; rethrows an earlier failure at once. */
  async add(work: () => Promise<unknown>): Promise<void> {
    this.throwIfFailed();
    while (this.running.size >= this.limit) await Promise.race(this.running);
    this.throwIfFailed();
    const task: Promise<void> = work().then(
      () => {
        this.running.delete(task);
      },
      (error: unknown) => {
        this.running.delete(task);
        this.failure ??= { error };
      },
    );
    this.running.add(task);
  }

  /** Waits for every started operation; throws the first failure. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
    this.throwIfFailed();
  }

  /** Waits for every started operation and forgets failures (a run being abandoned). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
