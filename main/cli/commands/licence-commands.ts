/** `licence show|install`, `users list|enable|disable`: being built (issue 9). */
import type { Command } from 'commander';
import type { GlobalOptions } from '../cli-context';

export function registerLicenceCommands(_program: Command, _globals: () => GlobalOptions): void {}
