/**
 * QA as a new user: what each running user (admin, delegated admin, auditor, standard user) meets with
 * list, assign and audit — refusals before any write, every missing permission named, rules that cannot
 * be read marked as such (exit 68) while the others are still judged.
 */
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';

type Failure = { status: number; name: string; message: string; actions?: string[] };
type AssignEnvelope = { status: number; result: { users: Array<{ username: string; status: string }> }; warnings?: string[] };
type AuditEnvelope = {
  status: number;
  result: {
    summary: { exitCode: number; findings: number };
    findings: Array<{ ruleId: string; user: string | null }>;
    rulesNotEvaluated: Array<{ ruleId: string; requiredPermission: string }>;
  };
  warnings?: string[];
};

const grantSnapshot = (e2e: E2E): string =>
  JSON.stringify(['PermissionSetLicenseAssign', 'PermissionSetAssignment', 'User'].map((o) => e2e.emu.db.records(o).length));

function holds(e2e: E2E, username: string, setName: string): boolean {
  const user = e2e.emu.db.records('User').find((u) => u.Username === username);
  const set = e2e.emu.db.records('PermissionSet').find((p) => p.Name === setName);
  return e2e.emu.db.records('PermissionSetAssignment').some((a) => a.AssigneeId === user?.Id && a.PermissionSetId === set?.Id);
}

describe('e2e (QA): running-user variants', function () {
  this.timeout(300_000);

  describe('delegated admin (View Setup + Assign Permission Sets, no Manage Users)', () => {
    let e2e: E2E;
    before(async () => {
      e2e = await startE2E({ runningUser: 'delegated-admin' });
    });
    after(async () => e2e?.close());

    it('assign -p works, with one warning that the frozen state is unknown', async () => {
      expect(holds(e2e, 'billing.sync@acme.example.com', 'Integration_Reader')).to.equal(false);
      const out = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-p', 'Integration_Reader', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(0);
      const env = out.json as AssignEnvelope;
      expect(env.result.users[0].status).to.equal('updated');
      expect(env.warnings?.some((w) => w.includes('Manage Users'))).to.equal(true);
      expect(holds(e2e, 'billing.sync@acme.example.com', 'Integration_Reader')).to.equal(true);
    });

    it('assign -l (a PSL) is refused before any write, naming Manage Users, in --dry-run too', async () => {
      const before = grantSnapshot(e2e);
      for (const extra of [[], ['--dry-run']]) {
        const out = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-l', 'SalesforceCPQ_CPQStandardPerm', ...extra, '--json']);
        expect(out.exitCode, describeResult(out)).to.equal(1);
        const err = out.json as Failure;
        expect(err.name).to.equal('MissingRightsError');
        expect(err.message).to.include('Manage Users: needed to assign permission set licenses');
      }
      expect(grantSnapshot(e2e)).to.equal(before);
    });

    it('list shows every integration user with the frozen state unknown (null in JSON), exit 0', async () => {
      const out = await e2e.run(['integration', 'user', 'list', '-o', 'emu', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(0);
      const { result, warnings } = out.json as { result: { users: Array<{ username: string; active: boolean; frozen: boolean | null }> }; warnings: string[] };
      expect(result.users.map((u) => u.username)).to.include('warehouse.sync@acme.example.com');
      for (const u of result.users.filter((x) => x.active)) expect(u.frozen, u.username).to.equal(null);
      expect(warnings.filter((w) => w.includes('Manage Users'))).to.have.length(1);
    });
  });

  describe('auditor (View Setup only)', () => {
    let e2e: E2E;
    before(async () => {
      e2e = await startE2E({ runningUser: 'auditor' });
    });
    after(async () => e2e?.close());

    it('assign -p -l names both missing permissions at once and writes nothing', async () => {
      const before = grantSnapshot(e2e);
      const out = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-p', 'Integration_Reader', '-l', 'SalesforceCPQ_CPQStandardPerm', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(1);
      const err = out.json as Failure;
      expect(err.message).to.include('Manage Users: needed to assign permission set licenses');
      expect(err.message).to.include('Assign Permission Sets: needed to assign permission sets and permission set groups');
      expect(grantSnapshot(e2e)).to.equal(before);
    });

    it('audit judges what it can read (IU004 on the ModifyAll set) and marks the login/token/frozen rules not evaluated: exit 68', async () => {
      const out = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--fail-on', 'none', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(68);
      const { result, warnings } = out.json as AuditEnvelope;
      const notEvaluated = result.rulesNotEvaluated.map((r) => r.ruleId);
      expect(notEvaluated).to.include.members(['IU008', 'IU009']);
      for (const r of result.rulesNotEvaluated) expect(r.requiredPermission, r.ruleId).to.match(/\w/);
      // one warning per rule not evaluated, each naming its rule
      for (const id of notEvaluated) expect(warnings?.filter((w) => w.includes(id)), id).to.have.length(1);
      expect(result.findings.some((f) => f.ruleId === 'IU004' && f.user === 'erp.integration@acme.example.com')).to.equal(true);
      expect(result.findings.some((f) => f.ruleId === 'IU001' && f.user === 'warehouse.sync@acme.example.com')).to.equal(true);
      expect(result.summary.exitCode).to.equal(68);
    });

    it('audit with --fail-on high still exits 3 on the findings it could judge', async () => {
      const out = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(3);
    });
  });

  describe('standard user (none of the rights)', () => {
    let e2e: E2E;
    before(async () => {
      e2e = await startE2E({ runningUser: 'standard' });
    });
    after(async () => e2e?.close());

    it('list, create --dry-run and audit are refused with exit 1 naming View Setup and Configuration; nothing is written', async () => {
      const before = grantSnapshot(e2e);
      const runs = [
        ['integration', 'user', 'list', '-o', 'emu', '--json'],
        ['integration', 'user', 'create', '-o', 'emu', '-n', 'QA Rights', '-p', 'Billing_Sync_Access', '--dry-run', '--json'],
        ['integration', 'user', 'audit', '-o', 'emu', '--json'],
      ];
      for (const args of runs) {
        const out = await e2e.run(args);
        expect(out.exitCode, `${args.join(' ')}\n${describeResult(out)}`).to.equal(1);
        const err = out.json as Failure;
        expect(err.name, args.join(' ')).to.equal('MissingRightsError');
        expect(err.message, args.join(' ')).to.include('View Setup and Configuration');
      }
      expect(grantSnapshot(e2e)).to.equal(before);
    });
  });
});
