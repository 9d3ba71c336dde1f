/**
 * QA's rights findings, fixed: create and assign name every permission the run lacks — its reads AND its
 * writes — in one refusal (also with --dry-run), before anything is written; every refusal names the running
 * user's username; a read-only command's refusal doesn't speak of writing; a seat error names the set that
 * needs the PSL; the spinner ends with "failed", not "done", when the command fails.
 */
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';

type Failure = { status: number; name: string; message: string; actions?: string[] };

const snapshot = (e2e: E2E): string =>
  JSON.stringify(['PermissionSetLicenseAssign', 'PermissionSetAssignment', 'User'].map((o) => e2e.emu.db.records(o).length));

const CREATE_USER = 'Manage Users or Manage Internal Users: needed to create or update a user';
const ASSIGN_PSL = 'Manage Users: needed to assign permission set licenses';
const ASSIGN_SETS = 'Assign Permission Sets: needed to assign permission sets and permission set groups';
const READ_SETS = 'View Setup and Configuration, Assign Permission Sets or Manage Users: needed to read which permission sets and groups users hold';

describe('e2e: every missing permission at once', function () {
  this.timeout(300_000);

  describe('delegated admin (no Manage Users)', () => {
    let e2e: E2E;
    before(async () => {
      e2e = await startE2E({ runningUser: 'delegated-admin' });
    });
    after(async () => e2e?.close());

    it('create -p names the User write and the API Integration PSL it always assigns, with the username, in --dry-run too; nothing written', async () => {
      const before = snapshot(e2e);
      for (const extra of [[], ['--dry-run']]) {
        const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'QA One', '-p', 'Billing_Sync_Access', ...extra, '--json']);
        expect(out.exitCode, describeResult(out)).to.equal(1);
        const err = out.json as Failure;
        expect(err.name).to.equal('MissingRightsError');
        expect(err.message).to.include(CREATE_USER);
        expect(err.message).to.include(ASSIGN_PSL);
        expect(err.message).to.not.include(ASSIGN_SETS);
        expect(err.message).to.match(/^\S+@\S+ lacks permissions this command needs, so it stopped before writing anything/);
      }
      expect(snapshot(e2e)).to.equal(before);
    });

    it('the spinner of a failed create says "failed", not "done"', async () => {
      const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'QA One', '-p', 'Billing_Sync_Access']);
      expect(out.exitCode, describeResult(out)).to.equal(1);
      expect(out.stderr).to.include('Validating and creating the integration user... failed');
      expect(out.stderr).to.not.include('... done');
      expect(out.stderr).to.include(ASSIGN_PSL);
    });
  });

  describe('standard user (none of the rights)', () => {
    let e2e: E2E;
    before(async () => {
      e2e = await startE2E({ runningUser: 'standard' });
    });
    after(async () => e2e?.close());

    it('assign -p -l names the reads and both writes at once, with the username, in --dry-run too; nothing written', async () => {
      const before = snapshot(e2e);
      for (const extra of [[], ['--dry-run']]) {
        const out = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-p', 'Integration_Reader', '-l', 'SalesforceCPQ_CPQStandardPerm', ...extra, '--json']);
        expect(out.exitCode, describeResult(out)).to.equal(1);
        const err = out.json as Failure;
        expect(err.name).to.equal('MissingRightsError');
        for (const line of [READ_SETS, ASSIGN_SETS, ASSIGN_PSL]) expect(err.message).to.include(line);
        expect(err.message).to.not.include('The running user');
        expect(err.message).to.match(/^\S+@\S+ lacks permissions/);
      }
      expect(snapshot(e2e)).to.equal(before);
    });

    it('create --dry-run names the reads, the User write, the PSL and the sets at once', async () => {
      const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'QA One', '-p', 'Billing_Sync_Access', '--dry-run', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(1);
      const err = out.json as Failure;
      for (const line of [READ_SETS, CREATE_USER, ASSIGN_PSL, ASSIGN_SETS]) expect(err.message).to.include(line);
      expect(err.message).to.match(/^\S+@\S+ lacks permissions/);
    });

    it('list and audit refusals name the username and do not speak of writing', async () => {
      for (const args of [
        ['integration', 'user', 'list', '-o', 'emu', '--json'],
        ['integration', 'user', 'audit', '-o', 'emu', '--json'],
      ]) {
        const out = await e2e.run(args);
        expect(out.exitCode, `${args.join(' ')}\n${describeResult(out)}`).to.equal(1);
        const err = out.json as Failure;
        expect(err.name, args.join(' ')).to.equal('MissingRightsError');
        expect(err.message, args.join(' ')).to.match(/^\S+@\S+ lacks permissions this command needs to read the org, so it stopped:/);
        expect(err.message, args.join(' ')).to.not.match(/writ/i);
      }
    });
  });

  describe('admin, PSLs not auto-assigned', () => {
    let e2e: E2E;
    before(async () => {
      e2e = await startE2E({ pslAutoAssign: false });
    });
    after(async () => e2e?.close());

    it('a seat error says which set needs the PSL; nothing written', async () => {
      const before = snapshot(e2e);
      const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'QA Seat', '-p', 'CPQ_Extras', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(1);
      const err = out.json as Failure;
      expect(err.message).to.include('No seats left on permission set license "Salesforce CPQ AA License", which CPQ_Extras requires');
      expect(err.actions?.join('\n')).to.include('leave out the permission sets that require it');
      expect(snapshot(e2e)).to.equal(before);
    });

    it('the spinner of a failed assign says "failed"', async () => {
      const out = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-p', 'CPQ_Extras']);
      expect(out.exitCode, describeResult(out)).to.equal(1);
      expect(out.stderr).to.include('Validating and assigning... failed');
      expect(out.stderr).to.not.include('... done');
    });
  });
});
