import { expect } from 'chai';
import { startEmulator } from '../../emulator/index.js';
import { connectTo } from '../../helpers/connection.js';
import type { OrgConnection } from '../../../src/shared/api.js';
import { runAuditRules } from '../../../src/shared/audit/engine.js';
import { OAUTH_TOKEN_USERS_PER_QUERY } from '../../../src/shared/audit/collect.js';
import type { AuditRun } from '../../../src/shared/audit/types.js';

const PAGE_SIZE = 2000;
const OAUTH_PAGE_SIZE = 500;
const BASE_BUDGET = 12;
const OPTIONS = { dormantDays: 90, seatThresholdPercent: 80 };
const at = (name: string): string => `${name}@acme.example.com`;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** A connection to the emulator that knows its running user, as `target-org` connections do. */
async function orgOf(emu: Emulator): Promise<OrgConnection> {
  const conn = await connectTo({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken });
  return { request: conn.request.bind(conn), getApiVersion: () => conn.getApiVersion(), getUsername: () => emu.username };
}

const pairs = (run: AuditRun): string[] => [...new Set(run.findings.map((f) => `${f.user ?? 'org'} ${f.ruleId}`))].sort();

describe('audit engine on the emulator', () => {
  describe('default seed', () => {
    let emu: Emulator;
    let run: AuditRun;
    before(async () => {
      emu = await startEmulator({ seed: 'default' });
      run = await runAuditRules(await orgOf(emu), OPTIONS);
    });
    after(() => emu.close());

    it('reports every planted problem', () => {
      expect(pairs(run)).to.include.members([
        `${at('warehouse.sync')} IU001`,
        `${at('warehouse.sync')} IU006`,
        `${at('warehouse.sync')} IU011`,
        `${at('shared.connector')} IU004`,
        `${at('shared.connector')} IU005`,
        `${at('shared.connector')} IU007`,
        `${at('shared.connector')} IU008`,
        `${at('shared.connector')} IU009`,
        `${at('legacy.etl')} IU002`,
        `${at('legacy.etl')} IU010`,
        `${at('erp.integration')} IU003`,
        `${at('erp.integration')} IU004`,
        `${at('reporting.api')} IU003`,
        `${at('old.integration')} IU011`,
        'org IU012',
      ]);
      expect(run.rulesNotEvaluated).to.deep.equal([]);
    });

    it('names the grants behind each finding', () => {
      const evidence = (user: string, ruleId: string): Array<Record<string, unknown>> =>
        run.findings.filter((f) => f.user === at(user) && f.ruleId === ruleId).map((f) => f.evidence);
      expect(evidence('shared.connector', 'IU004')).to.deep.include({ permission: 'ViewAllData', source: 'Data_Steward_ViewAll', sourceType: 'PermissionSet' });
      expect(evidence('shared.connector', 'IU005')).to.deep.include({ object: 'Account', access: 'Modify All', source: 'Account_Modify_All', sourceType: 'PermissionSet' });
      expect(evidence('shared.connector', 'IU007').map((e) => [e.grant, e.humans])).to.deep.include.members([
        ['Marketing_Shared', [at('jane.doe')]],
        ['Data_Steward_ViewAll', [at('john.smith')]],
      ]);
      expect(evidence('shared.connector', 'IU008')[0].apps).to.include.members(['Workato', 'Zapier']);
      const danger = evidence('erp.integration', 'IU004').filter((e) => e.source === 'Integration_Admin_Danger').map((e) => e.permission);
      expect(danger).to.include.members(['ModifyAllData', 'ManageUsers', 'AuthorApex', 'CustomizeApplication']);
      expect(evidence('warehouse.sync', 'IU006').map((e) => [e.permissionSet, e.problem])).to.deep.include(['Integration_API_Access', 'missingPsl']);
      expect(evidence('legacy.etl', 'IU010')[0].days).to.be.at.least(199);
      const seats = run.findings.filter((f) => f.ruleId === 'IU012').map((f) => [f.severity, f.evidence.license, f.evidence.used, f.evidence.total]);
      expect(seats).to.deep.include(['low', 'Salesforce Integration', 4, 5]);
    });

    it('reports nothing on the user done right, and never a human user', () => {
      expect(run.findings.filter((f) => f.user === at('billing.sync'))).to.deep.equal([]);
      for (const human of ['admin', 'jane.doe', 'john.smith', 'priya.patel']) {
        expect(run.findings.filter((f) => f.user === at(human)), human).to.deep.equal([]);
        expect(run.usernames).to.not.include(at(human));
      }
      expect(run.usernames).to.include(at('billing.sync'));
    });

    it('sorts findings by severity, then user, then rule, with distinct fingerprints', () => {
      const order = ['critical', 'high', 'medium', 'low', 'info'];
      const keys = run.findings.map((f) => [order.indexOf(f.severity), f.user ?? '', f.ruleId] as const);
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]));
      expect(keys).to.deep.equal(sorted);
      expect(new Set(run.findings.map((f) => f.fingerprint)).size).to.equal(run.findings.length);
    });

    it('--user scopes the users examined (humans still count for shared grants)', async () => {
      const scoped = await runAuditRules(await orgOf(emu), { ...OPTIONS, usernames: [at('Shared.Connector')] });
      expect(scoped.usersExamined).to.equal(1);
      expect(new Set(scoped.findings.map((f) => f.user ?? 'org'))).to.deep.equal(new Set([at('shared.connector'), 'org']));
      expect(pairs(scoped)).to.include.members([`${at('shared.connector')} IU007`, `${at('shared.connector')} IU009`]);
    });
  });

  it('a running user who cannot read others’ logins or tokens: those rules are not evaluated, not passed', async () => {
    const emu = await startEmulator({ seed: 'default', runningUser: 'auditor' });
    try {
      const run = await runAuditRules(await orgOf(emu), OPTIONS);
      const notEvaluated = run.rulesNotEvaluated.map((n) => n.ruleId);
      expect(notEvaluated).to.include.members(['IU008', 'IU009']);
      for (const n of run.rulesNotEvaluated) expect(n.requiredPermission, n.ruleId).to.match(/Manage Users|Customize Application|Monitor Login History|View Setup/);
      expect(run.findings.filter((f) => f.ruleId === 'IU009' || f.ruleId === 'IU008')).to.deep.equal([]);
      // What doesn't depend on LoginHistory/OauthToken is still found.
      expect(pairs(run)).to.include.members([`${at('warehouse.sync')} IU001`, `${at('legacy.etl')} IU002`]);
    } finally {
      await emu.close();
    }
  });

  it('keeps to the request budget for 10,000 users: 12 composite requests plus one per extra page', async () => {
    const emu = await startEmulator({ seed: { scale: 10_000 } });
    try {
      const org = await orgOf(emu);
      emu.resetRequestLog();
      const now = new Date();
      const run = await runAuditRules(org, { ...OPTIONS, now });
      const composites = emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/composite')).length;
      const pages = emu.requests.filter((r) => r.method === 'GET' && r.path.includes('/query/')).length;
      expect(run.usersExamined).to.be.greaterThan(0);
      expect(composites).to.be.at.most(BASE_BUDGET);
      expect(pages).to.be.at.most(extraPages(emu, run));
      expect(emu.requests.length).to.equal(composites + pages);
    } finally {
      await emu.close();
    }
  });
});

/** Pages past the first of every query the audit makes, from the emulator's own rows (LoginHistory is aggregated: no pages). */
function extraPages(emu: Emulator, run: AuditRun): number {
  const db = emu.db;
  const pages = (n: number, size = PAGE_SIZE): number => Math.max(0, Math.ceil(n / size) - 1);
  const profiles = new Map(db.records('Profile').map((p) => [String(p.Id), p]));
  const licenseName = new Map(db.records('UserLicense').map((l) => [String(l.Id), String(l.Name)]));
  const sets = new Map(db.records('PermissionSet').map((s) => [String(s.Id), s]));
  const users = db.records('User').filter((u) => {
    const profile = profiles.get(String(u.ProfileId));
    const license = licenseName.get(String(profile?.UserLicenseId));
    return u.IsActive === true || license === 'Salesforce Integration' || profile?.Name === 'Salesforce API Only System Integrations';
  });
  const examined = new Set(run.usernames ?? []);
  const examinedIds = db.records('User').filter((u) => examined.has(String(u.Username)) && u.IsActive === true).map((u) => String(u.Id));
  let tokenPages = 0;
  for (let i = 0; i < examinedIds.length; i += OAUTH_TOKEN_USERS_PER_QUERY) {
    const chunk = new Set(examinedIds.slice(i, i + OAUTH_TOKEN_USERS_PER_QUERY));
    tokenPages += pages(db.records('OauthToken').filter((t) => chunk.has(String(t.UserId))).length, OAUTH_PAGE_SIZE);
  }
  return (
    pages(db.records('PermissionSet').length) +
    pages(db.records('PermissionSetGroupComponent').length) +
    pages(db.records('ObjectPermissions').filter((o) => o.PermissionsViewAllRecords === true || o.PermissionsModifyAllRecords === true).length) +
    pages(users.length) +
    pages(
      db.records('PermissionSetAssignment').filter((a) => a.PermissionSetGroupId || sets.get(String(a.PermissionSetId))?.IsOwnedByProfile !== true).length
    ) +
    pages(db.records('PermissionSetLicenseAssign').length) +
    pages(db.records('UserLogin').filter((l) => l.IsFrozen === true).length) +
    tokenPages
  );
}
