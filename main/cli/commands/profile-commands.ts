/** `init` and `profile add|list`: profiles on a shared desktop, each with its own vault and password. */
import type { Command } from 'commander';
import { homeOf, openApp, printJson, printTable, type GlobalOptions } from '../cli-context';
import { readPassword } from '../password';
import { CliError } from '../cli-error';

export function registerProfileCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('init')
    .description('create the data folder and a first profile with its backup password')
    .option('--name <name>', 'profile name', 'default')
    .action(async (options: { name: string }) => {
      const app = openApp(globals());
      if ((await app.profiles.list()).length) {
        throw new CliError(
          `${homeOf(globals())} already has a profile; use \`profile add NAME\` for another.`,
        );
      }
      await app.createProfile(options.name, await readPassword(globals(), { confirm: true }));
      await app.lock();
      process.stdout.write(`Created profile "${options.name}" in ${homeOf(globals())}.\n`);
    });

  const profile = program.command('profile').description('manage profiles');
  profile
    .command('add <name>')
    .description('add a profile with its own backup password')
    .action(async (name: string) => {
      const app = openApp(globals());
      await app.createProfile(name, await readPassword(globals(), { confirm: true }));
      await app.lock();
      process.stdout.write(`Created profile "${name}".\n`);
    });
  profile
    .command('list')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const profiles = await openApp(globals()).profiles.list();
      if (options.json) printJson(profiles);
      else
        printTable(
          ['ID', 'NAME', 'CREATED'],
          profiles.map((item) => [item.id, item.name, item.createdAt]),
        );
    });
}
