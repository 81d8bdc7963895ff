/**
 * An append-only log file that rotates by size (app.log -> app.1.log -> ... -> app.N.log), written
 * synchronously so that a line logged just before a crash is on disk. Small on purpose: logs are a
 * few lines per backup, and a support report needs only the recent ones.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export interface RotatingFileOptions {
  /** Rotate once the file reaches this size. */
  readonly maxBytes?: number;
  /** Rotated files kept besides the current one. */
  readonly keep?: number;
}

/** The path of the n-th rotated file of `path` (n = 0 is the current file). */
export function rotatedPath(path: string, n: number): string {
  if (n === 0) return path;
  const extension = extname(path);
  return join(dirname(path), `${basename(path, extension)}.${n}${extension}`);
}

/** A destination pino can write to (`write(line)`), rotating by size. */
export class RotatingFile {
  private descriptor: number;
  private size: number;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(
    readonly path: string,
    options: RotatingFileOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.keep = options.keep ?? 3;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.descriptor = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.descriptor).size;
  }

  write(line: string): boolean {
    if (this.size >= this.maxBytes) this.rotate();
    const bytes = Buffer.from(line, 'utf8');
    writeSync(this.descriptor, bytes);
    this.size += bytes.length;
    return true;
  }

  close(): void {
    closeSync(this.descriptor);
  }

  private rotate(): void {
    closeSync(this.descriptor);
    rmSync(rotatedPath(this.path, this.keep), { force: true });
    for (let n = this.keep - 1; n >= 0; n--) {
      const from = rotatedPath(this.path, n);
      if (existsSync(from)) renameSync(from, rotatedPath(this.path, n + 1));
    }
    this.descriptor = openSync(this.path, 'a', 0o600);
    this.size = 0;
  }
}
