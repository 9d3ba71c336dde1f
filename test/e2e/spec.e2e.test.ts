/**
 * Integrations as code end to end against the org emulator: `plan`, `apply`, `import` through the real sf
 * (linked plugin) for the main round trip, bin/run.js for the other cases; every case asserts the exit code,
 * the JSON and the org's state afterwards.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { describeResult, startE2E, type E2E } from './harness.js';

type Change = { integration: string; username: string; action: string; type: string; name: string; from?: string | null; to?: string | null };
type Drift = { integration: string; username: string; type: string; name: string; pruned: boolean };
type Block = { environment: string | null; converged: boolean; changes: Change[]; drift: Drift[]; requests: number; readRequests: number; writeRequests: number };
type PlanEnvelope = { status: number; result: { converged: boolean; changes: Change[]; drift: Drift[]; requests: number; environments: Block[] } };
type ApplyEnvelope = { status: number; result: Block & { integrations: Array<{ integration: string; status: string; error?: string }> } };
type Failure = { status: number; name: string; message: string; actions?: string[] };

const SPEC = `version: 1
defaults:
  email: it-integrations@acme.example.com
integrations:
  - name: Invoice Feed
    permissionSets:
      - Billing_Sync_Access
      - name: Integration_Reader
        reason: reads invoices for the ERP
        expires: 2099-06-30
    permissionSetGroups: [Integration_Bundle]
  - name: Billing Sync
    username: billing.sync@acme.example.com
    permissionSets: [Billing_Sync_Access]
    permissionSetGroups: [Integration_Bundle]
`;

const writeRequests = (e2e: E2E): number => e2e.emu.requests.filter((r) => r.method !== 'GET' && !/\/composite$/.test(r.path)).length;

function assignmentsOf(e2e: E2E, username: string): string[] {
  const db = e2e.emu.db;
  const user = db.records('User').find((u) => u.Username === username);
  const sets = db
    .records('PermissionSetAssignment')
    .filter((a) => a.AssigneeId === user?.Id)
    .map((a) => {
      if (a.PermissionSetGroupId) return `group:${String(db.records('PermissionSetGroup').find((g) => g.Id === a.PermissionSetGroupId)?.DeveloperName)}`;
      const set = db.records('PermissionSet').find((p) => p.Id === a.PermissionSetId);
      return set?.IsOwnedByProfile ? 'profile' : `set:${String(set?.Name)}`;
    });
  const psls = db
    .records('PermissionSetLicenseAssign')
    .filter((a) => a.AssigneeId === user?.Id)
    .map((a) => `psl:${String(db.records('PermissionSetLicense').find((p) => p.Id === a.PermissionSetLicenseId)?.DeveloperName)}`);
  return [...sets, ...psls].sort();
}

describe('e2e: integrations as code (plan, apply, import)', function () {
  this.timeout(600_000);
  let e2e: E2E;
  let dir: string;
  const file = (name: string): string => join(dir, name);

  before(async () => {
    e2e = await startE2E({ link: true, integrationLicenses: 20 });
    dir = await mkdtemp(join(tmpdir(), 'iu-spec-'));
  });
  after(async () => {
    await e2e?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('plan → apply → plan (converged, exit 0) → apply again (0 writes), through the real sf', async () => {
    await writeFile(file('integrations.yaml'), SPEC);
    const plan = await e2e.sf(['integration', 'user', 'plan', '-f', file('integrations.yaml'), '-o', 'emu', '--json']);
    expect(plan.exitCode, describeResult(plan)).to.equal(3);
    const planned = (plan.json as PlanEnvelope).result;
    expect(planned.converged).to.equal(false);
    expect(planned.changes.map((c) => `${c.integration}|${c.action}|${c.type}|${c.name}`)).to.deep.equal([
      'Invoice Feed|create|user|invoice.feed.integration@acme.example.com',
      'Invoice Feed|assign|permissionSetLicense|SalesforceAPIIntegrationPsl',
      'Invoice Feed|assign|permissionSet|Billing_Sync_Access',
      'Invoice Feed|assign|permissionSet|Integration_Reader',
      'Invoice Feed|assign|permissionSetGroup|Integration_Bundle',
    ]);
    expect(planned.drift).to.deep.equal([]);
    expect(planned.environments[0].readRequests).to.be.at.most(3);

    e2e.emu.resetRequestLog();
    const apply = await e2e.sf(['integration', 'user', 'apply', '-f', file('integrations.yaml'), '-o', 'emu', '--json']);
    expect(apply.exitCode, describeResult(apply)).to.equal(0);
    const applied = (apply.json as ApplyEnvelope).result;
    expect(applied.integrations.map((i) => `${i.integration}:${i.status}`)).to.deep.equal(['Invoice Feed:applied', 'Billing Sync:unchanged']);
    expect(writeRequests(e2e)).to.equal(1);
    const user = e2e.emu.db.records('User').find((u) => u.Username === 'invoice.feed.integration@acme.example.com');
    expect(user?.Email).to.equal('it-integrations@acme.example.com');
    expect(assignmentsOf(e2e, 'invoice.feed.integration@acme.example.com')).to.deep.equal([
      'group:Integration_Bundle',
      'profile',
      'psl:SalesforceAPIIntegrationPsl',
      'set:Billing_Sync_Access',
      'set:Integration_Reader',
    ]);
    const expiring = e2e.emu.db.records('PermissionSetAssignment').find(
      (a) => a.AssigneeId === user?.Id && e2e.emu.db.records('PermissionSet').find((p) => p.Id === a.PermissionSetId)?.Name === 'Integration_Reader'
    );
    expect(String(expiring?.ExpirationDate).slice(0, 10)).to.equal('2099-06-30');

    const again = await e2e.sf(['integration', 'user', 'plan', '-f', file('integrations.yaml'), '-o', 'emu', '--json']);
    expect(again.exitCode, describeResult(again)).to.equal(0);
    expect((again.json as PlanEnvelope).result.converged).to.equal(true);

    e2e.emu.resetRequestLog();
    const reapply = await e2e.run(['integration', 'user', 'apply', '-f', file('integrations.yaml'), '-o', 'emu', '--json']);
    expect(reapply.exitCode, describeResult(reapply)).to.equal(0);
    expect(writeRequests(e2e)).to.equal(0);
    expect((reapply.json as ApplyEnvelope).result.writeRequests).to.equal(0);
    expect((reapply.json as ApplyEnvelope).result.requests).to.be.at.most(3);

    const text = await e2e.sf(['integration', 'user', 'plan', '-f', file('integrations.yaml'), '-o', 'emu']);
    expect(text.exitCode, describeResult(text)).to.equal(0);
    expect(text.stdout).to.include('The org matches the spec: nothing to do.');
  });

  it('reports drift planted with sf data create record (exit 3); --prune removes it and nothing else', async () => {
    const db = e2e.emu.db;
    const user = db.records('User').find((u) => u.Username === 'billing.sync@acme.example.com');
    const set = db.records('PermissionSet').find((p) => p.Name === 'Marketing_Shared');
    const planted = await e2e.sf(['data', 'create', 'record', '-o', 'emu', '-s', 'PermissionSetAssignment', '-v', `AssigneeId=${String(user?.Id)} PermissionSetId=${String(set?.Id)}`, '--json']);
    expect(planted.exitCode, describeResult(planted)).to.equal(0);

    const plan = await e2e.run(['integration', 'user', 'plan', '-f', file('integrations.yaml'), '-o', 'emu', '--json']);
    expect(plan.exitCode, describeResult(plan)).to.equal(3);
    const result = (plan.json as PlanEnvelope).result;
    expect(result.changes).to.deep.equal([]);
    expect(result.drift.map((d) => `${d.integration}|${d.type}|${d.name}|${String(d.pruned)}`)).to.deep.equal(['Billing Sync|permissionSet|Marketing_Shared|false']);
    const human = await e2e.run(['integration', 'user', 'plan', '-f', file('integrations.yaml'), '-o', 'emu']);
    expect(human.stdout).to.include('Billing Sync (billing.sync@acme.example.com): permissionSet Marketing_Shared');

    const before = {
      billing: assignmentsOf(e2e, 'billing.sync@acme.example.com'),
      invoice: assignmentsOf(e2e, 'invoice.feed.integration@acme.example.com'),
      shared: assignmentsOf(e2e, 'shared.connector@acme.example.com'),
    };
    const prune = await e2e.run(['integration', 'user', 'apply', '-f', file('integrations.yaml'), '-o', 'emu', '--prune', '--json']);
    expect(prune.exitCode, describeResult(prune)).to.equal(0);
    expect((prune.json as ApplyEnvelope).result.changes.map((c) => `${c.action}|${c.name}`)).to.deep.equal(['unassign|Marketing_Shared']);
    expect(assignmentsOf(e2e, 'billing.sync@acme.example.com')).to.deep.equal(before.billing.filter((a) => a !== 'set:Marketing_Shared'));
    expect(assignmentsOf(e2e, 'invoice.feed.integration@acme.example.com')).to.deep.equal(before.invoice);
    expect(assignmentsOf(e2e, 'shared.connector@acme.example.com'), 'users the spec does not list are never touched').to.deep.equal(before.shared);
    const after = await e2e.run(['integration', 'user', 'plan', '-f', file('integrations.yaml'), '-o', 'emu', '--json']);
    expect(after.exitCode, describeResult(after)).to.equal(0);
  });

  it('YAML and JSON equivalents give the same plan', async () => {
    await writeFile(file('integrations.json'), JSON.stringify(parseYaml(SPEC)));
    const yaml = await e2e.run(['integration', 'user', 'plan', '-f', file('integrations.yaml'), '-o', 'emu', '--prune', '--json']);
    const json = await e2e.run(['integration', 'user', 'plan', '-f', file('integrations.json'), '-o', 'emu', '--prune', '--json']);
    expect(json.exitCode).to.equal(yaml.exitCode);
    const strip = (out: typeof yaml): unknown => {
      const { environments, ...rest } = (out.json as PlanEnvelope).result;
      return { ...rest, changes: rest.changes.map(({ line: _l, ...c }: Change & { line?: number }) => c), environments: environments.length };
    };
    expect(strip(json)).to.deep.equal(strip(yaml));
  });

  it('an environment overlay: usernameSuffix and an override', async () => {
    await writeFile(
      file('envs.yaml'),
      `version: 1
integrations:
  - name: Payroll Sync
    username: payroll.sync@acme.example.com
    email: payroll-owner@acme.example.com
    permissionSets: [Billing_Sync_Access]
environments:
  uat:
    targetOrg: emu
    usernameSuffix: .uat
    integrations:
      Payroll Sync: { email: qa@acme.example.com, permissionSets: [Integration_Reader] }
`
    );
    const plan = await e2e.run(['integration', 'user', 'plan', '-f', file('envs.yaml'), '--env', 'uat', '--json']);
    expect(plan.exitCode, describeResult(plan)).to.equal(3);
    const block = (plan.json as PlanEnvelope).result.environments[0];
    expect(block.environment).to.equal('uat');
    expect(block.changes.map((c) => `${c.username}|${c.action}|${c.name}`)).to.deep.equal([
      'payroll.sync@acme.example.com.uat|create|payroll.sync@acme.example.com.uat',
      'payroll.sync@acme.example.com.uat|assign|SalesforceAPIIntegrationPsl',
      'payroll.sync@acme.example.com.uat|assign|Integration_Reader',
    ]);
    const apply = await e2e.run(['integration', 'user', 'apply', '-f', file('envs.yaml'), '--env', 'uat', '--json']);
    expect(apply.exitCode, describeResult(apply)).to.equal(0);
    const user = e2e.emu.db.records('User').find((u) => u.Username === 'payroll.sync@acme.example.com.uat');
    expect(user?.Email).to.equal('qa@acme.example.com');
    expect(assignmentsOf(e2e, 'payroll.sync@acme.example.com.uat')).to.include('set:Integration_Reader').and.not.include('set:Billing_Sync_Access');
    const unknown = await e2e.run(['integration', 'user', 'plan', '-f', file('envs.yaml'), '--env', 'prod', '--json']);
    expect(unknown.exitCode).to.equal(1);
    expect((unknown.json as Failure).message).to.include('The spec has no environment named "prod" (it has: uat).');
  });

  it('state: absent deactivates the user and removes its grants', async () => {
    await writeFile(
      file('absent.yaml'),
      `version: 1
integrations:
  - name: Payroll Sync
    username: payroll.sync@acme.example.com.uat
    state: absent
`
    );
    const apply = await e2e.run(['integration', 'user', 'apply', '-f', file('absent.yaml'), '-o', 'emu', '--json']);
    expect(apply.exitCode, describeResult(apply)).to.equal(0);
    expect((apply.json as ApplyEnvelope).result.changes.map((c) => `${c.action}|${c.type}`)).to.deep.equal([
      'unassign|permissionSet',
      'unassign|permissionSetLicense',
      'deactivate|user',
    ]);
    const user = e2e.emu.db.records('User').find((u) => u.Username === 'payroll.sync@acme.example.com.uat');
    expect(user?.IsActive).to.equal(false);
    expect(assignmentsOf(e2e, 'payroll.sync@acme.example.com.uat')).to.deep.equal(['profile']);
    const plan = await e2e.run(['integration', 'user', 'plan', '-f', file('absent.yaml'), '-o', 'emu', '--json']);
    expect(plan.exitCode, describeResult(plan)).to.equal(0);
  });

  it('a failing integration among three: the others applied, exit 68, a re-run converges', async () => {
    await writeFile(
      file('three.yaml'),
      `version: 1
integrations:
  - name: Alpha Feed
    permissionSets: [Billing_Sync_Access]
  - name: Beta Feed
    permissionSets: [Billing_Sync_Access]
  - name: Gamma Feed
    permissionSets: [Billing_Sync_Access]
`
    );
    e2e.emu.setFaults({ failNthWrite: 4 }); // Alpha's graph writes 3 records; the 4th write is Beta's user
    let apply;
    try {
      apply = await e2e.run(['integration', 'user', 'apply', '-f', file('three.yaml'), '-o', 'emu', '--json']);
    } finally {
      e2e.emu.setFaults({});
    }
    expect(apply.exitCode, describeResult(apply)).to.equal(68);
    const result = (apply.json as ApplyEnvelope).result;
    expect(result.integrations.map((i) => `${i.integration}:${i.status}`)).to.deep.equal(['Alpha Feed:applied', 'Beta Feed:failed', 'Gamma Feed:applied']);
    expect(result.integrations[1].error).to.include('UNKNOWN_EXCEPTION');
    expect(e2e.emu.db.records('User').some((u) => u.Username === 'beta.feed.integration@acme.example.com'), 'nothing of Beta written').to.equal(false);
    const rerun = await e2e.run(['integration', 'user', 'apply', '-f', file('three.yaml'), '-o', 'emu', '--json']);
    expect(rerun.exitCode, describeResult(rerun)).to.equal(0);
    expect((rerun.json as ApplyEnvelope).result.integrations.map((i) => i.status)).to.deep.equal(['unchanged', 'applied', 'unchanged']);
    const plan = await e2e.run(['integration', 'user', 'plan', '-f', file('three.yaml'), '-o', 'emu', '--json']);
    expect(plan.exitCode, describeResult(plan)).to.equal(0);
  });

  it('refuses a spec whose integrations run out of seats midway, before any write', async () => {
    const license = e2e.emu.db.records('UserLicense').find((l) => l.Name === 'Salesforce Integration');
    const free = Number(license?.TotalLicenses) - Number(license?.UsedLicenses);
    const lines = ['version: 1', 'integrations:'];
    for (let i = 1; i <= free + 1; i++) lines.push(`  - name: Seat Feed ${i}`);
    await writeFile(file('seats.yaml'), `${lines.join('\n')}\n`);
    e2e.emu.resetRequestLog();
    const users = e2e.emu.db.records('User').length;
    const apply = await e2e.run(['integration', 'user', 'apply', '-f', file('seats.yaml'), '-o', 'emu', '--json']);
    expect(apply.exitCode, describeResult(apply)).to.equal(1);
    const err = apply.json as Failure;
    expect(err.message).to.include(`${Number(license?.UsedLicenses)} of ${Number(license?.TotalLicenses)} used; this spec needs ${free + 1}`);
    expect(err.message).to.include('Nothing was written');
    expect(writeRequests(e2e)).to.equal(0);
    expect(e2e.emu.db.records('User').length).to.equal(users);
  });

  it('import round trip: the imported spec plans converged (exit 0, no change, no drift), and import never overwrites', async () => {
    const out = file('imported.yaml');
    const imported = await e2e.sf(['integration', 'user', 'import', '-o', 'emu', '-f', out, '--json']);
    expect(imported.exitCode, describeResult(imported)).to.equal(0);
    const text = await readFile(out, 'utf8');
    expect(text).to.include('username: billing.sync@acme.example.com');
    expect(text).to.not.match(/[0-9a-zA-Z]{3}0{3,}[0-9A-Za-z]{9,}/); // no record Id
    // warehouse.sync lacks the Salesforce API Integration PSL the spec implies: the file says so, with a comment
    expect(text).to.match(/username: warehouse\.sync@acme\.example\.com\n(?:.*\n)*?\s*# This user lacks the SalesforceAPIIntegrationPsl PSL.*\n.*\n\s*apiIntegrationPsl: false\n/);
    expect((imported.json as { result: { missingApiPsl: string[] } }).result.missingApiPsl).to.deep.equal(['warehouse.sync@acme.example.com']);
    const plan = await e2e.run(['integration', 'user', 'plan', '-f', out, '-o', 'emu', '--json']);
    expect(plan.exitCode, describeResult(plan)).to.equal(0);
    const result = (plan.json as PlanEnvelope).result;
    expect(result.changes).to.deep.equal([]);
    expect(result.drift).to.deep.equal([]);
    expect(result.converged).to.equal(true);
    // The audit still reports the missing PSL (not as spec drift: the spec says so on purpose).
    const audit = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--spec', out, '--fail-on', 'none', '--json']);
    const findings = (audit.json as { result: { findings: Array<{ ruleId: string; user: string | null; message: string }> } }).result.findings;
    expect(findings.filter((f) => f.user === 'warehouse.sync@acme.example.com' && /API Integration/i.test(f.message)).map((f) => f.ruleId)).to.not.deep.equal([]);
    expect(findings.filter((f) => f.ruleId === 'IU014')).to.deep.equal([]);
    // Dropping the line makes plan (and apply) assign it; after apply the plan is converged again.
    await writeFile(out, text.replace(/^\s*apiIntegrationPsl: false\n/m, ''));
    const pending = await e2e.run(['integration', 'user', 'plan', '-f', out, '-o', 'emu', '--json']);
    expect(pending.exitCode, describeResult(pending)).to.equal(3);
    expect((pending.json as PlanEnvelope).result.changes.map((c) => `${c.username}|${c.action}|${c.name}`)).to.deep.equal([
      'warehouse.sync@acme.example.com|assign|SalesforceAPIIntegrationPsl',
    ]);
    const apply = await e2e.run(['integration', 'user', 'apply', '-f', out, '-o', 'emu', '--json']);
    expect(apply.exitCode, describeResult(apply)).to.equal(0);
    const converged = await e2e.run(['integration', 'user', 'plan', '-f', out, '-o', 'emu', '--json']);
    expect(converged.exitCode, describeResult(converged)).to.equal(0);

    const refused = await e2e.run(['integration', 'user', 'import', '-o', 'emu', '-f', out, '--json']);
    expect(refused.exitCode).to.equal(1);
    expect((refused.json as Failure).message).to.include('import never overwrites');
    const forced = await e2e.run(['integration', 'user', 'import', '-o', 'emu', '-f', out, '--force', '--json']);
    expect(forced.exitCode, describeResult(forced)).to.equal(0);
    const again = await e2e.run(['integration', 'user', 'plan', '-f', out, '-o', 'emu', '--json']);
    expect(again.exitCode, describeResult(again)).to.equal(0);
  });

  it('refuses an invalid spec with file, line and key, and a secret-like key', async () => {
    await writeFile(file('bad.yaml'), 'version: 1\nintegrations:\n  - name: A\n    password: hunter2\n    state: gone\n');
    const out = await e2e.run(['integration', 'user', 'plan', '-f', file('bad.yaml'), '-o', 'emu', '--json']);
    expect(out.exitCode).to.equal(1);
    const message = (out.json as Failure).message;
    expect(message).to.include(`${file('bad.yaml')}:4:5: integrations[0].password: "password" looks like a secret`);
    expect(message).to.include(`${file('bad.yaml')}:5:12: integrations[0].state: expected present, inactive or absent, got gone.`);
    expect(out.stdout + out.stderr).to.not.include('hunter2');
  });
});
