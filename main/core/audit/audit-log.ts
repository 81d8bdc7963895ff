/**
 * Every backup, restore, export, delete, sign-in, setting and licence change, with time, profile,
 * action and description (product.md B16). Kept sealed in the vault; descriptions never hold
 * contact data beyond counts and names of folders.
 */
import type { Low } from 'lowdb';
import type { Clock } from '../ports';

export type AuditAction =
  | 'backup'
  | 'restore'
  | 'export'
  | 'delete'
  | 'sign-in'
  | 'account'
  | 'setting'
  | 'licence'
  | 'profile'
  | 'check'
  | 'mass-deletion';

export interface AuditEntry {
  readonly at: string;
  readonly profileId: string;
  readonly action: AuditAction;
  readonly description: string;
}

export interface AuditFile {
  version: 1;
  entries: AuditEntry[];
}

export class AuditLog {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: Low<AuditFile>,
    private readonly profileId: string,
    private readonly clock: Clock,
  ) {}

  /** Called when a write fails (a full disk): the entry stays in memory and goes out with the next write. */
  onWriteFailed: (error: unknown) => void = () => undefined;

  /**
   * Appends an entry and tries to write it before resolving. A failed write (disk full) never
   * rejects: the entry is kept and written with the next one, so one failure cannot poison every
   * later job of a long-running host, nor turn a backup that saved its snapshot into a failure.
   */
  record(action: AuditAction, description: string): Promise<void> {
    const entry: AuditEntry = {
      at: this.clock.now().toISOString(),
      profileId: this.profileId,
      action,
      description,
    };
    this.file.data.entries.push(entry);
    this.writing = this.writing.then(async () => {
      try {
        await this.file.write();
      } catch (error) {
        this.onWriteFailed(error);
      }
    });
    return this.writing;
  }

  /** Newest first, optionally filtered by text or action. */
  list(filter: { search?: string; action?: AuditAction; limit?: number } = {}): AuditEntry[] {
    const search = filter.search?.toLowerCase();
    return this.file.data.entries
      .filter((entry) => !filter.action || entry.action === filter.action)
      .filter((entry) => !search || `${entry.action} ${entry.description}`.toLowerCase().includes(search))
      .slice()
      .reverse()
      .slice(0, filter.limit ?? 1000);
  }
}
