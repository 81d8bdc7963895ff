/** A failure the CLI reports as one line on stderr with exit code 1 (or the given code). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit code of a command that did its work but with warnings (an export missing a photo). */
export const EXIT_WARNINGS = 4;
