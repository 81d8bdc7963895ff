// Runs Doyensec's Electronegativity on the Electron shell and the preload (the TypeScript sources:
// it does not read .cjs bundles) plus the renderer page, and fails on any finding of high severity. Its own CLI cannot run
// here (it relies on an undeclared, older `commander`), so its runner is called directly. It tries
// to fetch translations and Electron's release list; without network it says so and goes on.
import { createRequire } from 'node:module';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');

// One folder with what makes up the Electron app, so the global checks see all of it together.
const input = mkdtempSync(join(tmpdir(), 'electronegativity-'));
cpSync('main/electron', join(input, 'electron'), { recursive: true });
cpSync('preload', join(input, 'preload'), { recursive: true });
cpSync('renderer/index.html', join(input, 'renderer', 'index.html'));
writeFileSync(
  join(input, 'package.json'),
  JSON.stringify({ name: 'contacts-backup', devDependencies: { electron: '45.4.1' } }),
);

const result = await run({
  input,
  customScan: [],
  excludeFromScan: [],
  severitySet: 'informational',
  confidenceSet: 'tentative',
  isRelative: true,
  electronVersionOverride: '45.4.1',
});
const severity = (issue) =>
  String(issue.severity?.name ?? issue.severity?.value ?? issue.severity).toUpperCase();
const issues = result.issues ?? [];
for (const issue of issues) {
  console.log(
    `  ${severity(issue)} ${issue.id} ${issue.file}:${issue.location?.line ?? ''} ${issue.description ?? ''}`,
  );
}
const high = issues.filter((issue) => severity(issue) === 'HIGH');
console.log(
  `Electronegativity: ${result.globalChecks + result.atomicChecks} checks, ${issues.length} finding(s), ${high.length} of high severity.`,
);
if (result.errors?.length) console.log(`  ${result.errors.length} file(s) could not be parsed.`);
rmSync(input, { recursive: true, force: true });
process.exit(high.length ? 1 : 0);
