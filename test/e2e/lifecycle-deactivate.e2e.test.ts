/** `sf integration user deactivate / reactivate` end to end against the org emulator (dependency check incl. a project's ECA policy file). */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';
import { emulatorSecrets, expectNoLeak } from './lifecycleSecrets.js';

type Result = {
  status: string;
  isActive: boolean;
  dependencies: Array<{ kind: string; detail: string }>;
  grants: Array<{ type: string; name: string; status: string }>;
  seats: string[];
  notChecked: string[];
  writeRequests: number;
};
type Envelope = { status: number; result: Result };
type Failure = { status: number; message: string; actions?: string[] };

const user = (e2e: E2E, username: string) => e2e.emu.db.records('User').find((u) => u.Username === username);
const integrationSeats = (e2e: E2E) => e2e.emu.db.records('UserLicense').find((l) => l.Name === 'Salesforce Integration');
const dataRequests = (e2e: E2E) => e2e.emu.requests.filter((r) => r.path.startsWith('/services/data/v'));

const POLICY = `<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">
    <clientCredentialsFlowUser>billing.sync@acme.example.com</clientCredentialsFlowUser>
    <externalClientApplication>Billing_Sync</externalClientApplication>
    <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>
    <label>Billing Sync</label>
</ExtlClntAppOauthConfigurablePolicies>
`;

describe('e2e: sf integration user deactivate / reactivate', function () {
  this.timeout(240_000);
  let e2e: E2E;
  let project: string;
  before(async () => {
    e2e = await startE2E();
    project = await mkdtemp(join(tmpdir(), 'iu-deactivate-'));
    await writeFile(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
    const dir = join(project, 'force-app', 'main', 'default', 'extlClntAppOauthPolicies');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'Billing_Sync_oauth_defaultPolicy.ecaOauthPlcy-meta.xml'), POLICY);
  });
  after(async () => {
    await e2e?.close();
    await rm(project, { recursive: true, force: true });
  });

  it('refuses billing.sync: its ECA policy file and scheduled job depend on it (one read round trip, no write)', async () => {
    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--json'], { cwd: project });
    expect(out.exitCode, describeResult(out)).to.equal(1);
    const err = out.json as Failure;
    expect(err.message).to.include('Billing_Sync_oauth_defaultPolicy.ecaOauthPlcy-meta.xml');
    expect(err.message).to.include('Nightly Billing Reconciliation');
    expect(err.actions?.join(' ')).to.include('--force');
    expect(dataRequests(e2e).length, JSON.stringify(dataRequests(e2e))).to.equal(1);
    expect(user(e2e, 'billing.sync@acme.example.com')?.IsActive).to.equal(true);
    await expectNoLeak(e2e, out, emulatorSecrets(e2e), project);

    const dry = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--dry-run', '--json'], { cwd: project });
    expect(dry.exitCode, describeResult(dry)).to.equal(1);
    const plan = (dry.json as Envelope).result;
    expect(plan.status).to.equal('refused');
    expect(plan.dependencies.map((d) => d.kind).sort()).to.deep.equal(['ecaPolicyFile', 'scheduledJob']);
  });

  it('deactivates a user without dependencies, frees its seat, and a re-run writes nothing', async () => {
    const usedBefore = Number(integrationSeats(e2e)?.UsedLicenses);
    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--json'], { cwd: project });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as Envelope;
    expect(result).to.include({ status: 'deactivated', isActive: false });
    expect(result.seats.join(' ')).to.include('SalesforceAPIIntegrationPsl');
    expect(result.notChecked.join(' ')).to.include('Flows');
    expect(user(e2e, 'legacy.etl@acme.example.com')?.IsActive).to.equal(false);
    expect(Number(integrationSeats(e2e)?.UsedLicenses)).to.equal(usedBefore - 1);
    expect(dataRequests(e2e).length).to.equal(2);

    e2e.emu.resetRequestLog();
    const again = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--json'], { cwd: project });
    expect(again.exitCode, describeResult(again)).to.equal(0);
    expect((again.json as Envelope).result).to.include({ status: 'unchanged', writeRequests: 0 });
    expect(dataRequests(e2e).filter((r) => r.method !== 'GET' && !r.path.endsWith('/composite'))).to.have.length(0);
    expect(dataRequests(e2e)).to.have.length(1);
  });

  it('--force deactivates despite dependencies; --remove-grants removes sets before licenses', async () => {
    const out = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--force', '--remove-grants', '--json'], { cwd: project });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as Envelope;
    expect(result.status).to.equal('deactivated');
    expect(result.grants.map((g) => g.status)).to.satisfy((s: string[]) => s.length > 0 && s.every((x) => x === 'removed'));
    const id = user(e2e, 'billing.sync@acme.example.com')?.Id;
    expect(e2e.emu.db.records('PermissionSetLicenseAssign').filter((a) => a.AssigneeId === id)).to.have.length(0);
    const left = e2e.emu.db.records('PermissionSetAssignment').filter((a) => a.AssigneeId === id);
    expect(left.map((a) => e2e.emu.db.records('PermissionSet').find((p) => p.Id === a.PermissionSetId)?.IsOwnedByProfile)).to.deep.equal([true]);
  });

  it('reactivate checks for a free seat first, then reactivates; re-run is unchanged', async () => {
    const license = integrationSeats(e2e);
    const total = Number(license?.TotalLicenses);
    if (license) e2e.emu.db.update(license, { TotalLicenses: Number(license.UsedLicenses) });
    try {
      e2e.emu.resetRequestLog();
      const full = await e2e.run(['integration', 'user', 'reactivate', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--json']);
      expect(full.exitCode, describeResult(full)).to.equal(1);
      expect((full.json as Failure).message).to.include('no free seat');
      expect(dataRequests(e2e)).to.have.length(1);
    } finally {
      if (license) e2e.emu.db.update(license, { TotalLicenses: total });
    }
    const out = await e2e.run(['integration', 'user', 'reactivate', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(user(e2e, 'legacy.etl@acme.example.com')?.IsActive).to.equal(true);
    const again = await e2e.run(['integration', 'user', 'reactivate', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--json']);
    expect((again.json as Envelope).result).to.include({ status: 'unchanged', writeRequests: 0 });
  });

  it('refuses a human user unless --allow-non-integration-user', async () => {
    const out = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', 'john.smith@acme.example.com', '--json'], { cwd: project });
    expect(out.exitCode, describeResult(out)).to.equal(1);
    expect((out.json as Failure).message).to.include('not an integration user');
    expect(user(e2e, 'john.smith@acme.example.com')?.IsActive).to.equal(true);
  });
});

describe('e2e: deactivate without Manage Users', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ runningUser: 'restricted' });
  });
  after(async () => e2e?.close());

  it('is refused before any write', async () => {
    const out = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    expect((out.json as Failure).message).to.include('Manage Users');
    expect(e2e.emu.db.records('User').find((u) => u.Username === 'legacy.etl@acme.example.com')?.IsActive).to.equal(true);
  });
});
