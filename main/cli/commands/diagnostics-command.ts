/** `diagnostics`: the report the app's "Copy diagnostic report" gives, on standard output. */
import type { Command } from 'commander';
import { withApi, type GlobalOptions } from '../cli-context';

export function registerDiagnosticsCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('diagnostics')
    .description(
      'print a diagnostic report for support: versions and recent log lines (no password needed; secrets and contact data removed)',
    )
    .action(async () => {
      const { report } = await withApi(globals(), (api) => api.call('diagnostics.report', {}));
      process.stdout.write(report);
    });
}
