/**
 * `init` and `profile add|list|switch|rename|change-password|delete|lock`: profiles on a shared
 * desktop, each with its own vault and password. The CLI holds no long-lived session (every command unlocks and locks again), so `lock`
 * forgets the profile's remembered key and `switch` sets the profile used when --profile is not given.
 */
import type { Command } from 'commander';
import {
  forgetRememberedKeyOf,
  homeOf,
  openApp,
  printJson,
  printTable,
  withApi,
  withSession,
  type GlobalOptions,
} from '../cli-context';
import { readRecoveryInput } from '../recovery-input';
import { readNewPassword, readPassword } from '../password';
import { CliError } from '../cli-error';
import { chooseProfile, setDefaultProfile } from '../default-profile';

export function registerProfileCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('init')
    .description('create the data folder and a first profile with its backup password')
    .option('--name <name>', 'profile name', 'default')
    .action(async (options: { name: string }) => {
      await withApi(globals(), async (api) => {
        if ((await api.call('app.status', {})).profiles.length) {
          throw new CliError(
            `${homeOf(globals())} already has a profile; use \`profile add NAME\` for another.`,
          );
        }
        const password = await readPassword(globals(), { confirm: true });
        await api.call('profile.create', { name: options.name, password });
      });
      process.stdout.write(`Created profile "${options.name}" in ${homeOf(globals())}.\n`);
    });

  const profile = program.command('profile').description('manage profiles');
  profile
    .command('add <name>')
    .description('add a profile with its own backup password')
    .action(async (name: string) => {
      const password = await readPassword(globals(), { confirm: true });
      await withApi(globals(), (api) => api.call('profile.create', { name, password }));
      process.stdout.write(`Created profile "${name}".\n`);
    });
  profile
    .command('list')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const { profiles } = await withApi(globals(), (api) => api.call('app.status', {}));
      if (options.json) printJson(profiles);
      else
        printTable(
          ['ID', 'NAME', 'CREATED'],
          profiles.map((item) => [item.id, item.name, item.createdAt ?? '']),
        );
    });
  profile
    .command('switch <name>')
    .description('use this profile when --profile is not given')
    .action(async (name: string) => {
      const chosen = await setDefaultProfile(openApp(globals()).profiles, name);
      process.stdout.write(`Commands now use profile "${chosen.name}" unless --profile names another.\n`);
    });
  profile
    .command('rename <new-name>')
    .description('rename the profile (--profile, or the default one)')
    .action((newName: string) =>
      withSession(globals(), async (api) => {
        const view = await api.call('profile.rename', { name: newName });
        process.stdout.write(`The profile is now called "${view.profileName}".\n`);
      }),
    );
  profile
    .command('change-password')
    .description('set a new backup password for the profile (--profile, or the default one)')
    .option(
      '--new-password-stdin',
      'read the new password from standard input (the line after the current one with --password-stdin)',
    )
    .action((options: { newPasswordStdin?: boolean }) =>
      withSession(globals(), async (api) => {
        // The password that unlocked the profile is the current one (standard input is read once).
        const currentPassword = await readPassword(globals());
        const newPassword = await readNewPassword({ ...globals(), ...options });
        await api.call('profile.changePassword', { currentPassword, newPassword });
        const { session } = await api.call('app.status', {});
        await forgetRememberedKeyOf(globals(), session!.profileId);
        process.stdout.write(
          `Profile "${session?.profileName}" has a new backup password. A recovery key made before still works.\n`,
        );
      }),
    );
  profile
    .command('delete <name>')
    .description('delete a profile and every backup in it, after its password (cannot be undone)')
    .option('--yes', 'confirm: the profile and all its backups are deleted for good')
    .action(async (name: string, options: { yes?: boolean }) => {
      const chosen = await chooseProfile(openApp(globals()).profiles, name);
      if (!options.yes) {
        throw new CliError(
          `Deleting profile "${chosen.name}" removes every backup in it for good. Run again with --yes to confirm; its password is asked too.`,
        );
      }
      const password = await readPassword(globals());
      await withApi(globals(), (api) => api.call('profile.delete', { profileId: chosen.id, password }));
      await forgetRememberedKeyOf(globals(), chosen.id);
      process.stdout.write(`Deleted profile "${chosen.name}" and all its backups.\n`);
    });
  const recoveryKey = profile
    .command('recovery-key')
    .description('the key that unlocks a profile whose password is forgotten');
  recoveryKey
    .command('create')
    .description('make a new recovery key (replacing any earlier one) and print it once: save or print it')
    .action(() =>
      withSession(globals(), async (api) => {
        // The password that unlocked the profile confirms it (standard input is read only once).
        const { recoveryKey: key } = await api.call('profile.createRecoveryKey', {
          password: await readPassword(globals()),
        });
        const { session } = await api.call('app.status', {});
        process.stderr.write(
          `Recovery key for profile "${session?.profileName}". Keep it somewhere safe, away from this computer: it is shown only once, and anyone who has it can unlock this profile and set a new password.\n`,
        );
        process.stdout.write(`${key}\n`);
      }),
    );
  profile
    .command('reset-password [name]')
    .description(
      'unlock a profile with its recovery key and set a new backup password (a forgotten password)',
    )
    .option(
      '--recovery-key-stdin',
      'read the recovery key (line 1) and the new password (line 2) from standard input',
    )
    .action(async (name: string | undefined, options: { recoveryKeyStdin?: boolean }) => {
      const chosen = await chooseProfile(openApp(globals()).profiles, name ?? globals().profile);
      const { recoveryKey: key, newPassword } = await readRecoveryInput(Boolean(options.recoveryKeyStdin));
      // The unlock screen's "Forgot password": opens the profile with the key and sets the password.
      await withApi(globals(), (api) =>
        api.call('profile.unlockWithRecoveryKey', { profileId: chosen.id, recoveryKey: key, newPassword }),
      );
      // A remembered key would still open the profile without the new password: forget it.
      await forgetRememberedKeyOf(globals(), chosen.id);
      process.stdout.write(
        `Profile "${chosen.name}" has a new backup password. The recovery key still works; make a new one with \`profile recovery-key create\` if it may have been seen.\n`,
      );
    });
  profile
    .command('lock [name]')
    .description('forget the remembered key of a profile, so the next unlock needs its password')
    .action(async (name: string | undefined) => {
      const chosen = await chooseProfile(openApp(globals()).profiles, name ?? globals().profile);
      const forgotten = await forgetRememberedKeyOf(globals(), chosen.id);
      process.stdout.write(
        forgotten
          ? `Profile "${chosen.name}" is locked: its remembered key was forgotten; the next unlock needs the backup password.\n`
          : `Profile "${chosen.name}" is locked: the command line keeps no session open and no key was remembered for it here.\n`,
      );
    });
}
