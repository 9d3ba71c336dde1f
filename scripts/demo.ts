/**
 * `npm run demo`: the plugin's main job against the org emulator, through the real sf CLI.
 * Starts the emulator, logs sf in to it (alias "emu"), links this plugin, then lists, creates, displays,
 * assigns, generates an External Client App and audits, then imports the integration users into a spec, edits it, plans
 * and applies it, printing each command and its output.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2E, type CliResult } from '../test/e2e/harness.js';

const USERNAME = 'order.sync@acme.example.com';
const EMAIL = 'integrations@acme.example.com';

const steps: Array<{ title: string; args: string[]; inProject?: boolean; before?: (project: string) => Promise<string> }> = [
  { title: 'The integration users the org has today', args: ['integration', 'user', 'list', '-o', 'emu'] },
  {
    title: 'Plan a new integration user: the user fields and grants it would set (nothing is written)',
    args: ['integration', 'user', 'create', '-o', 'emu', '--name', 'Order Sync', '--username', USERNAME, '--email', EMAIL, '--first-name', 'Order', '--last-name', 'Sync',
      '--permission-set', 'Billing_Sync_Access', '--permission-set-group', 'Integration_Bundle', '--dry-run'],
  },
  {
    title: 'Create it: user (with those fields), PSL, permission set and group in one all-or-nothing request',
    args: ['integration', 'user', 'create', '-o', 'emu', '--name', 'Order Sync', '--username', USERNAME, '--email', EMAIL, '--first-name', 'Order', '--last-name', 'Sync',
      '--permission-set', 'Billing_Sync_Access', '--permission-set-group', 'Integration_Bundle'],
  },
  {
    title: 'Run it again: nothing to change',
    args: ['integration', 'user', 'create', '-o', 'emu', '--name', 'Order Sync', '--username', USERNAME, '--email', EMAIL, '--first-name', 'Order', '--last-name', 'Sync',
      '--permission-set', 'Billing_Sync_Access', '--permission-set-group', 'Integration_Bundle'],
  },
  { title: 'Show the new user: every field and grant', args: ['integration', 'user', 'display', '-o', 'emu', '-u', USERNAME] },
  {
    title: 'Assign one more permission set',
    args: ['integration', 'user', 'assign', '-o', 'emu', '--on-behalf-of', USERNAME, '--permission-set', 'Integration_Reader'],
  },
  {
    title: 'Generate a client-credentials External Client App for it (in a scratch sfdx project)',
    args: ['integration', 'user', 'generate', 'app', '-o', 'emu', '--name', 'Order_Sync', '--label', 'Order Sync',
      '--contact-email', 'admin@acme.example.com', '--flow', 'client-credentials', '--run-as', USERNAME,
      '--permission-set', 'Billing_Sync_Access'],
    inProject: true,
  },
  { title: 'Audit every integration user (report only)', args: ['integration', 'user', 'audit', '-o', 'emu', '--fail-on', 'none'] },
  // Integrations as code: adopt the org's integration users into a spec, edit it, plan, apply.
  { title: 'Import the integration users into a spec', args: ['integration', 'user', 'import', '-o', 'emu', '-f', 'integrations.yaml'], inProject: true },
  {
    title: 'Edit the spec: a new integration, and Order Sync loses Integration_Reader; then plan (exit 3: changes pending)',
    args: ['integration', 'user', 'plan', '-o', 'emu', '-f', 'integrations.yaml', '--prune'],
    inProject: true,
    before: async (project) => {
      const file = join(project, 'integrations.yaml');
      const text = (await readFile(file, 'utf8')).replace(/(username: order\.sync@acme\.example\.com[\s\S]*?)\n\s+- Integration_Reader/, '$1');
      await writeFile(file, `${text}  - name: Invoice Feed\n    permissionSets: [Billing_Sync_Access]\n    permissionSetGroups: [Integration_Bundle]\n`);
      return '(appended "Invoice Feed" to integrations.yaml and removed Integration_Reader from Order Sync)';
    },
  },
  { title: 'Apply the spec (all-or-nothing per integration)', args: ['integration', 'user', 'apply', '-o', 'emu', '-f', 'integrations.yaml', '--prune'], inProject: true },
  { title: 'Plan again: the org matches the spec (exit 0)', args: ['integration', 'user', 'plan', '-o', 'emu', '-f', 'integrations.yaml', '--prune'], inProject: true },
];

function show(title: string, args: string[], result: CliResult): void {
  // bold only on a terminal: a piped or CI log gets no escape codes
  const heading = process.stdout.isTTY ? `\u001b[1m## ${title}\u001b[0m` : `## ${title}`;
  process.stdout.write(`\n${heading}\n$ sf ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}\n`);
  const stderr = result.stderr
    .split('\n')
    .filter((line) => !/linked ESM module|Existing compiled source|Using insecure protocol|^\s*$/.test(line))
    .join('\n');
  // Spinners and warnings (stderr) come before the result the command prints (stdout).
  if (stderr) process.stdout.write(`${stderr}\n`);
  process.stdout.write(result.stdout);
  process.stdout.write(`(exit code ${result.exitCode})\n`);
}

// Ten Salesforce Integration licenses (and as many API Integration PSLs): the demo adds two integrations to the
// default seed's four, one of them through the spec; with the default five the spec's plan is refused for want of a seat.
const e2e = await startE2E({ link: true, integrationLicenses: 10 });
const project = await mkdtemp(join(tmpdir(), 'iu-demo-project-'));
let failed = false;
try {
  await mkdir(join(project, 'force-app'));
  await writeFile(
    join(project, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' }, null, 2)
  );
  process.stdout.write(`Org emulator listening at ${e2e.emu.instanceUrl}; the real sf CLI is logged in to it as alias "emu".\n`);
  for (const step of steps) {
    // Each step shows the state the previous one left: they run in order.
    if (step.before) process.stdout.write(`\n${await step.before(project)}`);
    const result = await e2e.sf(step.args, step.inProject ? { cwd: project } : undefined);
    show(step.title, step.args, result);
    if (![0, 3, 68].includes(result.exitCode)) failed = true;
  }
} finally {
  await e2e.close();
  await rm(project, { recursive: true, force: true });
}
if (failed) {
  process.stderr.write('\nA demo step failed (see above).\n');
  process.exitCode = 1;
}
