/**
 * QA as a CI pipeline: a write whose answer is lost (the org commits, the socket closes) or that fails is
 * reported as what the org holds, and a re-run converges with no write the second time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';

type Grant = { name: string; status: string };
type CreateEnvelope = { status: number; result: { created: boolean; grants: Grant[]; interrupted?: { reason: string; complete: boolean } }; warnings: string[] };
type AssignEnvelope = {
  status: number;
  result: { users: Array<{ username: string; status: string; grants: Grant[] }>; interrupted?: { complete: boolean } };
  warnings: string[];
};
type ApplyEnvelope = { status: number; result: { integrations: Array<{ integration: string; status: string; error?: string | null }> }; warnings: string[] };

const WRITE = /^(POST|PATCH|DELETE)$/;

function userOf(e2e: E2E, username: string): Record<string, unknown> | undefined {
  return e2e.emu.db.records('User').find((u) => u.Username === username);
}

function setsOf(e2e: E2E, username: string): string[] {
  const user = userOf(e2e, username);
  return e2e.emu.db
    .records('PermissionSetAssignment')
    .filter((a) => a.AssigneeId === user?.Id && !a.PermissionSetGroupId)
    .map((a) => String(e2e.emu.db.records('PermissionSet').find((p) => p.Id === a.PermissionSetId)?.Name));
}

function pslsOf(e2e: E2E, username: string): string[] {
  const user = userOf(e2e, username);
  return e2e.emu.db
    .records('PermissionSetLicenseAssign')
    .filter((a) => a.AssigneeId === user?.Id)
    .map((a) => String(e2e.emu.db.records('PermissionSetLicense').find((p) => p.Id === a.PermissionSetLicenseId)?.DeveloperName));
}

describe('e2e (QA): lost answers and failed writes', function () {
  this.timeout(300_000);
  let e2e: E2E;
  let dir: string;
  before(async () => {
    e2e = await startE2E({ integrationLicenses: 20 });
    dir = await mkdtemp(join(tmpdir(), 'iu-qa-lost-'));
  });
  after(async () => {
    await e2e?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('create: the composite commits but its answer is lost → exit 0, interrupted.complete, the org holds the user and every grant', async () => {
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const args = ['integration', 'user', 'create', '-o', 'emu', '-n', 'QA Drop', '-p', 'Billing_Sync_Access', '-g', 'Integration_Bundle', '--json'];
    const out = await e2e.run(args);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const env = out.json as CreateEnvelope;
    expect(env.result.interrupted?.complete).to.equal(true);
    expect(env.result.created).to.equal(true);
    expect(env.warnings.join(' ')).to.include('did not answer');
    const username = 'qa.drop.integration@acme.example.com';
    expect(userOf(e2e, username)?.IsActive).to.equal(true);
    expect(setsOf(e2e, username)).to.include('Billing_Sync_Access');
    expect(pslsOf(e2e, username)).to.include('SalesforceAPIIntegrationPsl');
    // the re-run converges without a write request
    e2e.emu.resetRequestLog();
    const again = await e2e.run(args);
    expect(again.exitCode, describeResult(again)).to.equal(0);
    expect((again.json as CreateEnvelope).result.grants.every((g) => g.status === 'alreadyPresent')).to.equal(true);
    expect(e2e.emu.requests.filter((r) => r.path.includes('/composite/sobjects') || r.path.includes('/sobjects/User')).length).to.equal(0);
  });

  it('assign to 3 users: the answer to the sets is lost → exit 68, each user "partial" exactly as the org holds; re-runs converge', async () => {
    const users = ['qa.drop.integration@acme.example.com', 'billing.sync@acme.example.com', 'shared.connector@acme.example.com'];
    const args = ['integration', 'user', 'assign', '-o', 'emu', ...users.flatMap((u) => ['-b', u]), '-p', 'Integration_Reader', '-l', 'SalesforceCPQ_CPQStandardPerm', '--json'];
    e2e.emu.setFaults({ dropResponseAfterCommit: 2 });
    const out = await e2e.run(args);
    expect(out.exitCode, describeResult(out)).to.equal(68);
    const env = out.json as AssignEnvelope;
    expect(env.result.interrupted?.complete).to.equal(false);
    for (const u of env.result.users) {
      const reader = u.grants.find((g) => g.name === 'Integration_Reader')?.status;
      const cpq = u.grants.find((g) => g.name === 'SalesforceCPQ_CPQStandardPerm')?.status;
      // what the result says is what the org holds, grant by grant
      expect(reader === 'added' || reader === 'alreadyPresent', `${u.username} Integration_Reader ${reader}`).to.equal(setsOf(e2e, u.username).includes('Integration_Reader'));
      expect(cpq === 'added' || cpq === 'alreadyPresent', `${u.username} CPQ ${cpq}`).to.equal(pslsOf(e2e, u.username).includes('SalesforceCPQ_CPQStandardPerm'));
    }
    const second = await e2e.run(args);
    expect(second.exitCode, describeResult(second)).to.equal(0);
    for (const u of users) expect(setsOf(e2e, u), u).to.include('Integration_Reader');
    e2e.emu.resetRequestLog();
    const third = await e2e.run(args);
    expect(third.exitCode, describeResult(third)).to.equal(0);
    expect((third.json as AssignEnvelope).result.users.every((u) => u.status === 'unchanged')).to.equal(true);
    expect(e2e.emu.requests.filter((r) => r.path.includes('/composite/sobjects'))).to.have.length(0);
  });

  it('apply: one integration fails at write time → exit 68, that integration is untouched in the org, the other applied; the re-run converges', async () => {
    const spec = join(dir, 'integrations.yaml');
    await writeFile(
      spec,
      ['version: 1', 'integrations:', '  - name: QA Spec One', '    permissionSets: [Billing_Sync_Access]', '  - name: QA Spec Two', '    permissionSets: [Integration_Reader]', ''].join('\n')
    );
    const applied = await e2e.run(['integration', 'user', 'apply', '-o', 'emu', '-f', spec, '--json']);
    expect(applied.exitCode, describeResult(applied)).to.equal(0);

    await writeFile(
      spec,
      [
        'version: 1',
        'integrations:',
        '  - name: QA Spec One',
        '    email: qa.one@acme.example.com',
        '    permissionSets: [Billing_Sync_Access, Integration_Reader]',
        '  - name: QA Spec Two',
        '    state: absent',
        '',
      ].join('\n')
    );
    const one = 'qa.spec.one.integration@acme.example.com';
    const emailBefore = userOf(e2e, one)?.Email;
    e2e.emu.setFaults({ failNthWrite: 1 });
    const out = await e2e.run(['integration', 'user', 'apply', '-o', 'emu', '-f', spec, '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(68);
    const byName = new Map((out.json as ApplyEnvelope).result.integrations.map((i) => [i.integration, i]));
    expect(byName.get('QA Spec One')?.status).to.equal('failed');
    expect(byName.get('QA Spec One')?.error).to.be.a('string');
    expect(byName.get('QA Spec Two')?.status).to.equal('applied');
    // all-or-nothing per integration: the failed one kept its email and sets
    expect(userOf(e2e, one)?.Email).to.equal(emailBefore);
    expect(setsOf(e2e, one)).to.not.include('Integration_Reader');
    expect(userOf(e2e, 'qa.spec.two.integration@acme.example.com')?.IsActive).to.equal(false);

    const rerun = await e2e.run(['integration', 'user', 'apply', '-o', 'emu', '-f', spec, '--json']);
    expect(rerun.exitCode, describeResult(rerun)).to.equal(0);
    expect(userOf(e2e, one)?.Email).to.equal('qa.one@acme.example.com');
    e2e.emu.resetRequestLog();
    const plan = await e2e.run(['integration', 'user', 'plan', '-o', 'emu', '-f', spec, '--json']);
    expect(plan.exitCode, describeResult(plan)).to.equal(0);
    expect(e2e.emu.requests.filter((r) => WRITE.test(r.method) && !r.path.includes('/composite') && !r.path.includes('__emulator'))).to.have.length(0);
  });
});
