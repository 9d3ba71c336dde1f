import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { connectTo } from '../../helpers/connection.js';
import { parseSpec } from '../../../src/shared/spec/load.js';
import { resolveSpec } from '../../../src/shared/spec/overlay.js';
import { applySpec } from '../../../src/shared/spec/apply.js';
import { planSpec } from '../../../src/shared/spec/plan.js';
import type { OrgConnection } from '../../../src/shared/api.js';

const spec = (text: string, env?: string) => resolveSpec(parseSpec(text, 'integrations.yaml'), env);

function twenty(): string {
  const lines = ['version: 1', 'integrations:'];
  for (let i = 1; i <= 20; i++) {
    lines.push(`  - name: Feed ${i}`, '    permissionSets: [Billing_Sync_Access, Integration_Reader]', '    permissionSetGroups: [Integration_Bundle]');
  }
  return `${lines.join('\n')}\n`;
}

describe('spec: apply against the emulator', () => {
  let emu: Emulator;
  let conn: OrgConnection;
  beforeEach(async () => {
    emu = await startEmulator({ seed: 'default', integrationLicenses: 30 });
    conn = await connectTo({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, username: emu.username, orgId: emu.orgId }, '66.0');
  });
  afterEach(async () => emu?.close());

  it('creates 20 integrations in ≤ 3 reads + ≤ 2 writes, then a re-run makes 0 writes', async () => {
    emu.resetRequestLog();
    const { block, exitCode } = await applySpec(conn, spec(twenty()), { prune: false, dryRun: false, targetOrg: 'emu' });
    expect(exitCode).to.equal(0);
    expect(block.integrations.every((i) => i.status === 'applied'), JSON.stringify(block.integrations.filter((i) => i.status !== 'applied'))).to.equal(true);
    expect(block.readRequests).to.be.at.most(3);
    expect(block.writeRequests).to.be.at.most(2);
    expect(emu.requests.filter((r) => r.path.endsWith('/composite/graph'))).to.have.length(1);
    const users = emu.db.records('User').filter((u) => String(u.Username).startsWith('feed.'));
    expect(users).to.have.length(20);
    const again = await applySpec(conn, spec(twenty()), { prune: false, dryRun: false, targetOrg: 'emu' });
    expect(again.block.writeRequests).to.equal(0);
    expect(again.block.requests).to.be.at.most(3);
    expect(again.block.integrations.every((i) => i.status === 'unchanged')).to.equal(true);
  });

  it('--dry-run checks everything and writes nothing', async () => {
    emu.resetRequestLog();
    const { block, exitCode } = await applySpec(conn, spec('version: 1\nintegrations:\n  - name: Dry Feed\n    permissionSets: [Billing_Sync_Access]\n'), {
      prune: false,
      dryRun: true,
      targetOrg: 'emu',
    });
    expect(exitCode).to.equal(0);
    expect(block.integrations.map((i) => i.status)).to.deep.equal(['planned']);
    expect(block.writeRequests).to.equal(1);
    expect(emu.requests.filter((r) => r.path.endsWith('/composite/graph'))).to.deep.equal([]);
    expect(emu.db.records('User').some((u) => u.Username === 'dry.feed.integration@acme.example.com')).to.equal(false);
  });

  it('one failing integration among three: the others applied, exit 68; a re-run converges', async () => {
    const text = `version: 1
integrations:
  - name: Alpha
    permissionSets: [Billing_Sync_Access]
  - name: Beta
    permissionSets: [Billing_Sync_Access]
  - name: Gamma
    permissionSets: [Billing_Sync_Access]
`;
    // Alpha's graph is user + PSL + set (3 writes): the 4th write is Beta's user.
    emu.setFaults({ failNthWrite: 4 });
    const { block, exitCode } = await applySpec(conn, spec(text), { prune: false, dryRun: false, targetOrg: 'emu' });
    emu.setFaults({});
    expect(exitCode).to.equal(68);
    expect(block.integrations.map((i) => `${i.integration}:${i.status}`)).to.deep.equal(['Alpha:applied', 'Beta:failed', 'Gamma:applied']);
    expect(emu.db.records('User').some((u) => u.Username === 'beta.integration@acme.example.com')).to.equal(false);
    const again = await applySpec(conn, spec(text), { prune: false, dryRun: false, targetOrg: 'emu' });
    expect(again.exitCode).to.equal(0);
    const plan = await planSpec(conn, spec(text), { prune: false, targetOrg: 'emu' });
    expect(plan.block.converged).to.equal(true);
  });

  it('a lost answer: the org is read again and each integration is what the org holds', async () => {
    const text = `version: 1
integrations:
  - name: Alpha
    permissionSets: [Billing_Sync_Access]
  - name: Beta
    permissionSetGroups: [Integration_Bundle]
`;
    emu.setFaults({ dropResponseAfterCommit: 1 });
    const { block, exitCode } = await applySpec(conn, spec(text), { prune: false, dryRun: false, targetOrg: 'emu' });
    emu.setFaults({});
    expect(block.interrupted?.reason).to.be.a('string');
    expect(block.integrations.map((i) => `${i.integration}:${i.status}`)).to.deep.equal(['Alpha:applied', 'Beta:applied']);
    expect(exitCode).to.equal(0);
    const again = await applySpec(conn, spec(text), { prune: false, dryRun: false, targetOrg: 'emu' });
    expect(again.block.writeRequests).to.equal(0);
  });

  it('refuses before any write when the seats run out mid-spec', async () => {
    await emu.close();
    emu = await startEmulator({ seed: 'default', integrationLicenses: 6 });
    conn = await connectTo({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, username: emu.username, orgId: emu.orgId }, '66.0');
    const text = `version: 1
integrations:
  - name: Alpha
  - name: Beta
  - name: Gamma
`;
    emu.resetRequestLog();
    const error = await applySpec(conn, spec(text), { prune: false, dryRun: false, targetOrg: 'emu' }).then(
      () => undefined,
      (e: Error) => e
    );
    // one problem for the whole spec, with the org's true count and the spec's need
    const seats = emu.db.records('UserLicense').find((l) => l.Name === 'Salesforce Integration');
    expect(error?.message).to.include(`${String(seats?.UsedLicenses)} of 6 used; this spec needs 3 (new or reactivated: Alpha, Beta, Gamma)`);
    expect(error?.message.match(/Salesforce Integration user license/g)).to.have.length(1);
    expect(emu.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/composite'))).to.deep.equal([]);
    expect(emu.db.records('User').filter((u) => String(u.Username).endsWith('.integration@acme.example.com') && /alpha|beta|gamma/.test(String(u.Username)))).to.deep.equal([]);
  });

  it('state: absent deactivates and removes every grant', async () => {
    const text = `version: 1
integrations:
  - name: Billing Sync
    username: billing.sync@acme.example.com
    state: absent
`;
    const { exitCode } = await applySpec(conn, spec(text), { prune: false, dryRun: false, targetOrg: 'emu' });
    expect(exitCode).to.equal(0);
    const user = emu.db.records('User').find((u) => u.Username === 'billing.sync@acme.example.com');
    expect(user?.IsActive).to.equal(false);
    const grants = [...emu.db.records('PermissionSetAssignment'), ...emu.db.records('PermissionSetLicenseAssign')].filter(
      (a) => a.AssigneeId === user?.Id && !emu.db.records('PermissionSet').find((p) => p.Id === a.PermissionSetId)?.IsOwnedByProfile
    );
    expect(grants).to.deep.equal([]);
    expect((await planSpec(conn, spec(text), { prune: false, targetOrg: 'emu' })).block.converged).to.equal(true);
  });
});
