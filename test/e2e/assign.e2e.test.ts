/** `sf integration user assign` end to end against the org emulator (real sf once, bin/run.js otherwise). */
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';

type UserResult = { username: string; status: string; grants: Array<{ name: string; status: string }> };
type Envelope = { status: number; result: { dryRun: boolean; users: UserResult[]; failures: Array<{ username: string; name: string; message: string }> }; warnings?: string[] };
type Failure = { status: number; name: string; message: string; actions?: string[] };

const snapshot = (e2e: E2E): string =>
  JSON.stringify(['PermissionSetLicenseAssign', 'PermissionSetAssignment'].map((o) => e2e.emu.db.records(o).map((r) => r.Id)));

function heldBy(e2e: E2E, username: string): string[] {
  const user = e2e.emu.db.records('User').find((u) => u.Username === username);
  const sets = e2e.emu.db.records('PermissionSetAssignment').filter((a) => a.AssigneeId === user?.Id && !a.PermissionSetGroupId);
  return sets.map((a) => String(e2e.emu.db.records('PermissionSet').find((p) => p.Id === a.PermissionSetId)?.Name)).sort();
}

const apiRequests = (e2e: E2E) => e2e.emu.requests.filter((r) => r.path.includes('/services/data/v'));

describe('e2e: sf integration user assign', function () {
  this.timeout(240_000);
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ link: true });
  });
  after(async () => e2e?.close());

  it('assigns a PSL and 3 sets to one user through the real sf, in at most 3 requests', async () => {
    e2e.emu.resetRequestLog();
    const out = await e2e.sf([
      'integration', 'user', 'assign', '-o', 'emu', '-b', 'warehouse.sync@acme.example.com', '-l', 'SalesforceCPQ_CPQStandardPerm',
      '-p', 'Billing_Sync_Access', '-p', 'Integration_Reader', '-p', 'Marketing_Shared', '--json',
    ]);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(apiRequests(e2e).length).to.be.at.most(3);
    const { result } = out.json as Envelope;
    expect(result.users[0].status).to.equal('updated');
    expect(heldBy(e2e, 'warehouse.sync@acme.example.com')).to.include.members(['Billing_Sync_Access', 'Integration_Reader', 'Marketing_Shared']);
  });

  it('skips what is already there (exit 0, "unchanged") and --dry-run writes nothing', async () => {
    const again = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'warehouse.sync@acme.example.com', '-p', 'Billing_Sync_Access', '--json']);
    expect(again.exitCode, describeResult(again)).to.equal(0);
    expect((again.json as Envelope).result.users[0].status).to.equal('unchanged');
    const before = snapshot(e2e);
    const dry = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-p', 'Marketing_Shared', '--dry-run', '--json']);
    expect(dry.exitCode, describeResult(dry)).to.equal(0);
    expect((dry.json as Envelope).result.users[0].grants.find((g) => g.name === 'Marketing_Shared')?.status).to.equal('toAdd');
    expect(snapshot(e2e)).to.equal(before);
  });

  it('refuses a human user unless --allow-non-integration-user', async () => {
    const before = snapshot(e2e);
    const out = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'jane.doe@acme.example.com', '-p', 'Marketing_Shared', '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    const err = out.json as Failure;
    expect(err.message).to.include('"jane.doe@acme.example.com" is not an integration user');
    expect(err.actions?.join(' ')).to.include('--allow-non-integration-user');
    expect(snapshot(e2e)).to.equal(before);
    const allowed = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'jane.doe@acme.example.com', '-p', 'Marketing_Shared', '--allow-non-integration-user', '--json']);
    expect(allowed.exitCode, describeResult(allowed)).to.equal(0);
    expect(heldBy(e2e, 'jane.doe@acme.example.com')).to.include('Marketing_Shared');
  });

  it('reports every bad name at once and writes nothing', async () => {
    const before = snapshot(e2e);
    const out = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-b', 'nobody@acme.example.com',
      '-p', 'Integration_Readr', '-g', 'Legacy_Bundle', '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    const err = out.json as Failure;
    expect(err.message).to.include('3 problems to fix first');
    expect(err.actions).to.include('Did you mean: Integration_Reader?');
    expect(snapshot(e2e)).to.equal(before);
  });

  it('keeps going when one user fails at write time: per-user outcome, exit 68', async () => {
    // Several users: their PSL assignments in one collection (allOrNone false), the first record made to fail.
    e2e.emu.setFaults({ failNthWrite: 1 });
    try {
      const out = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'shared.connector@acme.example.com', '-b', 'billing.sync@acme.example.com',
        '-l', 'SalesforceCPQ_CPQStandardPerm', '-p', 'Integration_Reader', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(68);
      const { result } = out.json as Envelope;
      const statuses = result.users.map((u) => u.status);
      expect(statuses).to.include('updated');
      expect(statuses.filter((s) => s === 'failed' || s === 'partial')).to.have.length(1);
      const failedUser = result.users.find((u) => u.status !== 'updated');
      expect(failedUser?.grants.find((g) => g.name === 'Integration_Reader')?.status, 'no set without its PSL').to.equal('notWritten');
      expect(result.failures).to.have.length(1);
      expect(result.failures[0].message).to.include('UNKNOWN_EXCEPTION');
    } finally {
      e2e.emu.setFaults({});
    }
  });
  const assign = (args: string[]) => e2e.sf(['integration', 'user', 'assign', '-o', 'emu', ...args, '--json']);
  const refused = async (args: string[], message: string): Promise<Failure> => {
    const before = snapshot(e2e);
    const out = await assign(args);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    const err = out.json as Failure;
    expect(err.message).to.include(message);
    expect(err.actions ?? []).to.not.be.empty;
    expect(snapshot(e2e), 'the org is unchanged').to.equal(before);
    return err;
  };

  it('refuses nothing to assign, and a comma inside a name (repeat the flag)', async () => {
    await refused(['-b', 'billing.sync@acme.example.com'], 'Nothing to assign');
    const err = await refused(['-b', 'billing.sync@acme.example.com', '-p', 'Marketing_Shared,Integration_Reader'], 'holds a comma');
    expect(err.actions).to.include('Repeat the flag for each name, for example -p First_Set -p Second_Set.');
  });

  it('refuses an inactive user unless --allow-inactive (then a warning); warns about a frozen user', async () => {
    await refused(['-b', 'old.integration@acme.example.com', '-p', 'Marketing_Shared'], 'The user old.integration@acme.example.com is inactive');
    const allowed = await assign(['-b', 'old.integration@acme.example.com', '-p', 'Marketing_Shared', '--allow-inactive']);
    expect(allowed.exitCode, describeResult(allowed)).to.equal(0);
    expect((allowed.json as Envelope).warnings?.join(' ')).to.include('old.integration@acme.example.com is inactive');
    expect(heldBy(e2e, 'old.integration@acme.example.com')).to.include('Marketing_Shared');
    const frozen = await assign(['-b', 'warehouse.sync@acme.example.com', '-p', 'API_Only_User']);
    expect(frozen.exitCode, describeResult(frozen)).to.equal(0);
    expect((frozen.json as Envelope).warnings?.join(' ')).to.include('warehouse.sync@acme.example.com is frozen');
  });

  it('takes an sf alias for -b', async () => {
    const alias = await e2e.sf(['alias', 'set', 'legacy=legacy.etl@acme.example.com']);
    expect(alias.exitCode, describeResult(alias)).to.equal(0);
    const out = await assign(['-b', 'legacy', '-p', 'Marketing_Shared']);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect((out.json as Envelope).result.users[0].username).to.equal('legacy.etl@acme.example.com');
    expect(heldBy(e2e, 'legacy.etl@acme.example.com')).to.include('Marketing_Shared');
  });

  it('the answer of the write is lost, 1 user: re-read, exit 0, a re-run writes nothing', async () => {
    const args = ['-b', 'billing.sync@acme.example.com', '-p', 'Integration_Reader', '-p', 'API_Only_User'];
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const out = await assign(args);
    e2e.emu.setFaults({});
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as Envelope & { result: { interrupted?: { complete: boolean } } };
    expect(result.interrupted).to.deep.include({ complete: true });
    expect(result.users[0].status).to.equal('updated');
    expect(heldBy(e2e, 'billing.sync@acme.example.com')).to.include.members(['API_Only_User', 'Integration_Reader']);
    const before = snapshot(e2e);
    const again = await assign(args);
    expect((again.json as Envelope).result.users[0].status).to.equal('unchanged');
    expect(snapshot(e2e)).to.equal(before);
  });

  it('the answer of the PSL write is lost, 3 users: each user as the org holds it (exit 68); re-runs converge, then write nothing', async () => {
    const users = ['warehouse.sync@acme.example.com', 'shared.connector@acme.example.com', 'legacy.etl@acme.example.com'];
    const args = [...users.flatMap((u) => ['-b', u]), '-l', 'SalesforceCPQ_CPQStandardPerm', '-p', 'Data_Steward_ViewAll'];
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const out = await assign(args);
    e2e.emu.setFaults({});
    expect(out.exitCode, describeResult(out)).to.equal(68);
    const { result } = out.json as Envelope;
    // The PSL collection committed (its answer was lost); nothing after it was sent. warehouse.sync (given both
    // PSLs by the first test) lacked only the set: nothing added; shared.connector lacked only the PSL.
    expect(result.users.map((u) => u.status)).to.deep.equal(['failed', 'updated', 'partial']);
    expect(result.users[0].grants.find((g) => g.name === 'Data_Steward_ViewAll')?.status).to.equal('notWritten');
    expect(heldBy(e2e, 'warehouse.sync@acme.example.com')).to.not.include('Data_Steward_ViewAll');
    const again = await assign(args);
    expect(again.exitCode, describeResult(again)).to.equal(0);
    for (const u of users) expect(heldBy(e2e, u)).to.include('Data_Steward_ViewAll');
    const before = snapshot(e2e);
    const third = await assign(args);
    expect((third.json as Envelope).result.users.map((u) => u.status)).to.deep.equal(['unchanged', 'unchanged', 'unchanged']);
    expect(snapshot(e2e)).to.equal(before);
  });
});
