import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { connectTo } from '../../helpers/connection.js';
import type { OrgConnection } from '../../../src/shared/api.js';
import { collectAuditData } from '../../../src/shared/audit/collect.js';
import { evaluate, runAuditRules } from '../../../src/shared/audit/engine.js';
import { addLogin, type LoginGroup, type LoginSummary } from '../../../src/shared/audit/model.js';
import type { AuditRun } from '../../../src/shared/audit/types.js';
import { tempDirSync } from '../../helpers/tmp.js';

const OPTIONS = { dormantDays: 90, seatThresholdPercent: 80 };
const at = (name: string): string => `${name}@acme.example.com`;

/** A connection to the emulator that knows its running user, as `target-org` connections do. */
async function orgOf(emu: Emulator): Promise<OrgConnection> {
  const conn = await connectTo({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken });
  return { request: conn.request.bind(conn), getApiVersion: () => conn.getApiVersion(), getUsername: () => emu.username };
}

const pairs = (run: AuditRun): string[] => [...new Set(run.findings.map((f) => `${f.user ?? 'org'} ${f.ruleId}`))].sort();
const notEvaluated = (run: AuditRun): string[] => run.rulesNotEvaluated.map((n) => n.ruleId);

async function withEmulator<T>(options: EmulatorOptions, fn: (emu: Emulator, org: OrgConnection) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ seed: 'default', ...options });
  try {
    const org = await orgOf(emu);
    emu.resetRequestLog();
    return await fn(emu, org);
  } finally {
    await emu.close();
  }
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; actions?: string[]; exitCode?: number }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err, 'expected a rejection').to.be.instanceOf(Error);
  return err as { name: string; message: string; actions?: string[]; exitCode?: number };
}

describe('audit collect (emulator)', () => {
  let full: AuditRun;
  before(async () => {
    full = await withEmulator({}, async (_emu, org) => runAuditRules(org, OPTIONS));
  });

  it('examines integration-license users plus API-only and OAuth-only look-alikes, in four requests', async () => {
    await withEmulator({}, async (emu, org) => {
      const data = await collectAuditData(org, { dormantDays: 90, now: new Date() });
      const reasons = new Map(data.users.map((u) => [u.username, u.reasons]));
      expect(reasons.get(at('erp.integration'))).to.include.members(['apiUserOnly', 'oauthOnlyLogins']);
      expect(reasons.get(at('reporting.api'))).to.deep.equal(['oauthOnlyLogins']);
      expect(reasons.get(at('billing.sync'))).to.include('integrationLicense');
      expect(reasons.get(at('legacy.etl'))).to.include('legacyProfile');
      for (const human of ['admin', 'jane.doe', 'john.smith', 'priya.patel']) expect(reasons.has(at(human)), human).to.equal(false);
      expect(data.notEvaluated).to.deep.equal([]);
      expect(data.skipped.size).to.equal(0);
      const connector = data.users.find((u) => u.username === at('shared.connector'));
      expect([...(data.oauthApps?.get(connector?.id ?? '') ?? [])].sort()).to.deep.equal(['Workato', 'Zapier']);
      // three composites of up to five queries (rights, licenses, grants, users, logins aggregated), one for the tokens
      expect(emu.requests.map((r) => `${r.method} ${r.path.replace(/v\d+\.0/, 'vXX')}`)).to.deep.equal(
        Array.from({ length: 4 }, () => 'POST /services/data/vXX/composite')
      );
    });
  });

  describe('an org without some permission fields', () => {
    it('lacking PermissionsMonitorLoginHistory: exactly the findings of a full org', async () => {
      const run = await withEmulator({ absentFields: ['PermissionSet.PermissionsMonitorLoginHistory'] }, async (_e, org) => runAuditRules(org, OPTIONS));
      expect(run.findings.map((f) => f.fingerprint)).to.deep.equal(full.findings.map((f) => f.fingerprint));
      expect(run.rulesNotEvaluated).to.deep.equal([]);
    });

    it('one absent field (ModifyAllData): not held, so not reported; every other finding is; one more request (the sets without it)', async () => {
      await withEmulator({ absentFields: ['PermissionSet.PermissionsModifyAllData'] }, async (emu, org) => {
        const run = await runAuditRules(org, OPTIONS);
        const expected = full.findings.filter((f) => f.evidence.permission !== 'ModifyAllData').map((f) => f.fingerprint);
        expect(run.findings.map((f) => f.fingerprint)).to.deep.equal(expected);
        expect(expected.length).to.be.lessThan(full.findings.length);
        expect(run.rulesNotEvaluated).to.deep.equal([]);
        expect(emu.requests).to.have.length(5);
      });
    });

    it('two absent fields: the second answer leads to the describe, then one more read; nothing else lost', async () => {
      const absent = ['ModifyAllData', 'ViewAllData'];
      await withEmulator({ absentFields: absent.map((f) => `PermissionSet.Permissions${f}`) }, async (emu, org) => {
        const run = await runAuditRules(org, OPTIONS);
        const expected = full.findings.filter((f) => !absent.includes(String(f.evidence.permission))).map((f) => f.fingerprint);
        expect(run.findings.map((f) => f.fingerprint)).to.deep.equal(expected);
        expect(run.rulesNotEvaluated).to.deep.equal([]);
        expect(emu.requests.filter((r) => r.path.endsWith('/sobjects/PermissionSet/describe'))).to.have.length(1);
        expect(emu.requests.length).to.be.at.most(7);
      });
    });

    it('every permission field absent: no IU004 finding (nothing can be held), everything else still reported', async () => {
      const fields = (await import('../../../src/shared/audit/collect.js')).PERMISSION_FIELDS;
      await withEmulator({ absentFields: fields.map((f) => `PermissionSet.Permissions${f}`) }, async (emu, org) => {
        const run = await runAuditRules(org, OPTIONS);
        expect(run.findings.filter((f) => f.ruleId === 'IU004')).to.deep.equal([]);
        const others = full.findings.filter((f) => f.ruleId !== 'IU004' && !(f.ruleId === 'IU003' && (f.evidence.signals as string[]).includes('apiUserOnly')));
        expect(run.findings.map((f) => f.fingerprint)).to.include.members(others.map((f) => f.fingerprint));
        expect(run.rulesNotEvaluated).to.deep.equal([]);
        expect(emu.requests.length).to.be.at.most(7);
      });
    });
  });

  describe('running-user rights', () => {
    it('admin: every rule evaluated', () => {
      expect(full.rulesNotEvaluated).to.deep.equal([]);
    });

    for (const level of ['delegated-admin', 'auditor'] as const) {
      it(`${level}: exactly the rules reading logins, tokens and frozen state are not evaluated, naming the permission; the rest are reported`, async () => {
        const run = await withEmulator({ runningUser: level }, async (_e, org) => runAuditRules(org, OPTIONS));
        expect(notEvaluated(run)).to.deep.equal(['IU003', 'IU008', 'IU009', 'IU010', 'IU011']);
        const byRule = new Map(run.rulesNotEvaluated.map((n) => [n.ruleId, n]));
        expect(byRule.get('IU009')?.requiredPermission).to.equal('Manage Users or Monitor Login History');
        expect(byRule.get('IU008')?.requiredPermission).to.equal('Manage Users or Monitor Login History; Customize Application');
        expect(byRule.get('IU010')?.requiredPermission).to.equal('Manage Users');
        for (const n of run.rulesNotEvaluated) expect(n.reason, n.ruleId).to.match(/^The running user lacks .+\.$/);
        // Every finding of the rules it could evaluate is still there.
        const evaluable = full.findings.filter((f) => !notEvaluated(run).includes(f.ruleId)).map((f) => f.fingerprint);
        expect(run.findings.map((f) => f.fingerprint)).to.deep.equal(evaluable);
        expect(pairs(run)).to.include.members([`${at('erp.integration')} IU004`, `${at('warehouse.sync')} IU001`, 'org IU012']);
      });
    }

    it('standard (no View Setup): the audit cannot tell integration users apart and says which permission it lacks', async () => {
      const err = await withEmulator({ runningUser: 'standard' }, async (_e, org) => failure(runAuditRules(org, OPTIONS)));
      expect(err.name).to.equal('MissingRightsError');
      expect(err.message).to.include('View Setup and Configuration');
      expect(err.exitCode).to.equal(1);
    });
  });

  describe('--user', () => {
    it('a misspelt user is an error naming it, with "did you mean"; nothing is audited', async () => {
      await withEmulator({}, async (emu, org) => {
        const err = await failure(runAuditRules(org, { ...OPTIONS, usernames: [at('billing.sync'), at('billing.snyc'), 'nobody@nowhere.example'] }));
        expect(err.name).to.equal('UserNotFoundError');
        expect(err.message).to.include(at('billing.snyc')).and.include('nobody@nowhere.example').and.not.include(at('billing.sync') + ',');
        expect(err.actions?.join('\n')).to.include(`${at('billing.snyc')}: did you mean ${at('billing.sync')}?`);
        // stopped after the first round: no token read
        expect(emu.requests).to.have.length(3);
      });
    });

    it('names the baseline or configuration users the org does not have', async () => {
      const run = await withEmulator({}, async (_e, org) =>
        runAuditRules(org, { ...OPTIONS, referencedUsernames: [at('billing.sync'), at('gone.integration')] })
      );
      expect(run.unknownUsernames).to.deep.equal([at('gone.integration')]);
    });
  });

  it('login volume: aggregated LoginHistory gives the same per-user summary (and IU003/IU008/IU009/IU010) as folding every row, in few requests', async () => {
    await withEmulator({ seed: { scale: 2000 }, loginsPerUser: 40 }, async (emu, org) => {
      const now = new Date();
      const data = await collectAuditData(org, { dormantDays: 90, now });
      const requests = emu.requests.length;
      // Every row of the window, folded one by one (what reading every page would give).
      const since = now.getTime() - 90 * 86_400_000;
      const byRow = new Map<string, LoginSummary>();
      for (const row of emu.db.records('LoginHistory')) if (Date.parse(String(row.LoginTime)) >= since) addLogin(byRow, row as LoginGroup);
      // The same instant, whatever its notation (rows: ISO 'Z'; aggregates: '+0000').
      const time = (t: string | null): number | null => (t === null ? null : Date.parse(t));
      const shape = (m: ReadonlyMap<string, LoginSummary> | null): Array<[string, unknown]> =>
        [...(m ?? new Map<string, LoginSummary>())]
          .map(([id, v]) => [id, { ...v, apps: [...v.apps].sort(), lastLogin: time(v.lastLogin), lastUiLogin: time(v.lastUiLogin) }] as [string, unknown]).sort(([a], [b]) => a.localeCompare(b));
      expect(byRow.size).to.be.greaterThan(1000);
      // Every examined user has exactly the summary of its rows; every OAuth-only user by its rows is examined.
      const examined = new Set(data.users.map((u) => u.id));
      const mine = (m: ReadonlyMap<string, LoginSummary> | null): Map<string, LoginSummary> =>
        new Map([...(m ?? new Map<string, LoginSummary>())].filter(([id]) => examined.has(id)));
      expect(shape(mine(data.logins))).to.deep.equal(shape(mine(byRow)));
      const active = new Set(emu.db.records('User').filter((u) => u.IsActive === true).map((u) => String(u.Id)));
      const oauthOnly = [...byRow].filter(([id, v]) => active.has(id) && v.logins > 0 && v.apiLogins === v.logins).map(([id]) => id);
      expect(oauthOnly.length).to.be.greaterThan(0);
      for (const id of oauthOnly) expect(examined.has(id), id).to.equal(true);
      // The rules reading logins judge the same data: same findings as with the row-by-row summary.
      const rules = ['IU003', 'IU008', 'IU009', 'IU010'];
      const aggregated = evaluate(data, OPTIONS).findings.filter((f) => rules.includes(f.ruleId));
      const rowByRow = evaluate({ ...data, logins: byRow }, OPTIONS).findings.filter((f) => rules.includes(f.ruleId));
      expect(aggregated.map((f) => f.fingerprint)).to.deep.equal(rowByRow.map((f) => f.fingerprint));
      expect(aggregated.length).to.be.greaterThan(0);
      expect(requests).to.be.at.most(20);
    });
  });

  it("a large org: the other users' assignments read by balanced cursors side by side give exactly the data of one cursor, in no more requests", async () => {
    await withEmulator({ seed: { scale: 10_000 } }, async (emu, org) => {
      const now = new Date();
      const split = await collectAuditData(org, { ...OPTIONS, now });
      const splitRequests = emu.requests.length;
      const splitPages = emu.requests.filter((r) => r.method === 'GET').length;
      emu.resetRequestLog();
      const one = await collectAuditData(org, { ...OPTIONS, now, assignmentCursors: 1 });
      const oneRequests = emu.requests.length;
      const grants = (d: typeof one): unknown => d.users.map((u) => [u.id, [...u.setIds].sort(), [...u.groupIds].sort()]).sort();
      expect(grants(split)).to.deep.equal(grants(one));
      expect(evaluate(split, OPTIONS).findings.map((f) => f.fingerprint)).to.deep.equal(evaluate(one, OPTIONS).findings.map((f) => f.fingerprint));
      expect(split.users.length).to.be.greaterThan(1000);
      // the shares' first pages ride in one composite instead of the one cursor's second page
      expect(splitRequests).to.be.at.most(oneRequests + 1);
      expect(splitPages).to.be.lessThan(emu.requests.filter((r) => r.method === 'GET').length);
    });
  });

  it('an OauthToken read at the platform cap: IU008 is said to be incomplete but still reports what it found', async () => {
    await withEmulator({}, async (emu, org) => {
      const connector = emu.db.records('User').find((u) => u.Username === at('shared.connector'));
      for (let i = 0; i < 2500; i++) emu.db.insert('OauthToken', { UserId: connector?.Id, AppName: `App ${i % 2}`, UseCount: 1 });
      const run = await runAuditRules(org, OPTIONS);
      expect(notEvaluated(run)).to.deep.equal(['IU008']);
      expect(run.rulesNotEvaluated[0].reason).to.include('2500');
      expect(run.findings.filter((f) => f.ruleId === 'IU008').map((f) => f.user)).to.deep.equal([at('shared.connector')]);
    });
  });

  it('IU013: checks the run-as users of the project’s External Client App policy files', async () => {
    const dir = tempDirSync('audit-eca-');
    const policies = join(dir, 'force-app', 'main', 'default', 'extlClntAppOauthPolicies');
    mkdirSync(policies, { recursive: true });
    const policy = (user: string): string =>
      `<?xml version="1.0" encoding="UTF-8"?><ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata"><clientCredentialsFlowUser>${user}</clientCredentialsFlowUser><isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled></ExtlClntAppOauthConfigurablePolicies>`;
    writeFileSync(join(policies, 'Good.ecaOauthPlcy-meta.xml'), policy(at('billing.sync')));
    writeFileSync(join(policies, 'Human.ecaOauthPlcy-meta.xml'), policy(at('jane.doe')));
    writeFileSync(join(policies, 'Ghost.ecaOauthPlcy-meta.xml'), policy('ghost@acme.example.com'));
    writeFileSync(join(policies, 'Gone.ecaOauthPlcy-meta.xml'), policy(at('old.integration')));
    const run = await withEmulator({}, async (_e, org) => runAuditRules(org, { ...OPTIONS, projectDir: dir }));
    expect(run.findings.filter((f) => f.ruleId === 'IU013').map((f) => [f.user, f.evidence.file, f.evidence.problem])).to.deep.equal([
      ['ghost@acme.example.com', 'force-app/main/default/extlClntAppOauthPolicies/Ghost.ecaOauthPlcy-meta.xml', 'notFound'],
      [at('jane.doe'), 'force-app/main/default/extlClntAppOauthPolicies/Human.ecaOauthPlcy-meta.xml', 'notIntegration'],
      [at('old.integration'), 'force-app/main/default/extlClntAppOauthPolicies/Gone.ecaOauthPlcy-meta.xml', 'inactive'],
    ]);
  });
});
