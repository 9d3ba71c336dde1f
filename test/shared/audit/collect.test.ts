import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { OrgConnection } from '../../../src/shared/api.js';
import { collectAuditData } from '../../../src/shared/audit/collect.js';
import { runAuditRules } from '../../../src/shared/audit/engine.js';

type Rows = Array<Record<string, unknown>>;
type Answer = Rows | { errorCode: string; message: string } | ((soql: string) => Rows | { errorCode: string; message: string });

const NOW = new Date('2026-11-28T12:00:00Z');
const INT = { Name: 'Minimum Access - API Only Integrations', UserLicense: { Name: 'Salesforce Integration' } };
const FULL = { Name: 'Standard User', UserLicense: { Name: 'Salesforce' } };

/** A fake org: answers each composite query by the first matching object name; counts requests. */
function fakeOrg(answers: Record<string, Answer>, runningUser = 'admin@x'): OrgConnection & { requests: string[] } {
  const requests: string[] = [];
  const answer = (soql: string): { httpStatusCode: number; body: unknown } => {
    const from = /FROM (\w+)/.exec(soql)?.[1] ?? '';
    const given = answers[from] ?? [];
    const rows = typeof given === 'function' ? given(soql) : given;
    if (!Array.isArray(rows)) return { httpStatusCode: 400, body: [rows] };
    return { httpStatusCode: 200, body: { totalSize: rows.length, done: true, records: rows } };
  };
  const request = ((req: { url: string; body?: string }) => {
    requests.push(req.url);
    const body = JSON.parse(req.body ?? '{}') as { compositeRequest: Array<{ url: string; referenceId: string }> };
    return Promise.resolve({
      compositeResponse: body.compositeRequest.map((sub) => ({
        referenceId: sub.referenceId,
        ...answer(decodeURIComponent(sub.url.split('q=')[1])),
      })),
    });
  }) as unknown as OrgConnection['request'];
  return { requests, request, getApiVersion: () => '62.0', getUsername: () => runningUser };
}

const base = (): Record<string, Answer> => ({
  UserLicense: [{ Id: '100A', Name: 'Salesforce Integration', MasterLabel: 'Salesforce Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: 1 }],
  PermissionSetLicense: [{ Id: '0PLA', DeveloperName: 'SalesforceAPIIntegrationPsl', MasterLabel: 'Salesforce API Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: 1 }],
  PermissionSet: [
    { Id: '0PSADMIN', Name: 'X00Admin', IsOwnedByProfile: true, ProfileId: '00eADM', PermissionsManageUsers: true, PermissionsCustomizeApplication: true, PermissionsModifyAllData: true },
    { Id: '0PSINT', Name: 'X00Int', IsOwnedByProfile: true, ProfileId: '00eINT', PermissionsApiUserOnly: true },
    { Id: '0PSSTD', Name: 'X00Std', IsOwnedByProfile: true, ProfileId: '00eSTD' },
    { Id: '0PSAPI', Name: 'API_Only_User', IsOwnedByProfile: false, PermissionsApiUserOnly: true },
    { Id: '0PSSHARED', Name: 'Marketing_Shared', IsOwnedByProfile: false },
  ],
  User: [
    { Id: '005ADM', Username: 'admin@x', IsActive: true, ProfileId: '00eADM', Profile: { Name: 'System Administrator', UserLicense: { Name: 'Salesforce' } } },
    { Id: '005INT', Username: 'int@x', IsActive: true, ProfileId: '00eINT', Profile: INT, LastLoginDate: '2026-11-27T00:00:00.000+0000' },
    { Id: '005API', Username: 'apionly@x', IsActive: true, ProfileId: '00eSTD', Profile: FULL, LastLoginDate: '2026-11-27T00:00:00.000+0000' },
    { Id: '005OAU', Username: 'tableau@x', IsActive: true, ProfileId: '00eSTD', Profile: FULL, LastLoginDate: '2026-11-27T00:00:00.000+0000' },
    { Id: '005JAN', Username: 'jane@x', IsActive: true, ProfileId: '00eSTD', Profile: FULL, LastLoginDate: '2026-11-27T00:00:00.000+0000' },
  ],
  PermissionSetAssignment: [
    { AssigneeId: '005API', PermissionSetId: '0PSAPI' },
    { AssigneeId: '005INT', PermissionSetId: '0PSSHARED' },
    { AssigneeId: '005JAN', PermissionSetId: '0PSSHARED' },
  ],
  PermissionSetLicenseAssign: [{ AssigneeId: '005INT', PermissionSetLicenseId: '0PLA' }],
  LoginHistory: [
    { UserId: '005OAU', LoginTime: '2026-11-27T00:00:00.000+0000', LoginType: 'Remote Access 2.0', LoginSubType: 'OauthRefreshToken', Application: 'Tableau', Status: 'Success' },
    { UserId: '005JAN', LoginTime: '2026-11-27T00:00:00.000+0000', LoginType: 'Application', LoginSubType: 'UsernamePasswordUiLogin', Application: 'Browser', Status: 'Success' },
    { UserId: '005INT', LoginTime: '2026-11-27T00:00:00.000+0000', LoginType: 'Remote Access 2.0', LoginSubType: 'OauthClientCredentials', Application: 'Sync', Status: 'Success' },
  ],
  OauthToken: [{ UserId: '005INT', AppName: 'Sync' }],
});

describe('audit collect (fake org)', () => {
  it('examines integration-license users plus API-only and OAuth-only look-alikes, in three requests', async () => {
    const org = fakeOrg(base());
    const data = await collectAuditData(org, { dormantDays: 90, now: NOW });
    expect(data.users.map((u) => [u.username, u.reasons])).to.deep.equal([
      ['apionly@x', ['apiUserOnly']],
      ['int@x', ['integrationLicense', 'apiUserOnly', 'oauthOnlyLogins']],
      ['tableau@x', ['oauthOnlyLogins']],
    ]);
    expect(data.humanHolders.get('0PSSHARED')).to.deep.equal(['jane@x']);
    expect(data.notEvaluated).to.deep.equal([]);
    expect([...(data.oauthApps?.get('005INT') ?? [])]).to.deep.equal(['Sync']);
    // two composites of five queries, then one for the OAuth tokens of the examined users
    expect(org.requests).to.have.length(3);
  });

  it('a running user without Manage Users / Customize Application: LoginHistory and OauthToken rules not evaluated', async () => {
    const answers = base();
    (answers.PermissionSet as Rows)[0] = { Id: '0PSADMIN', Name: 'X00Admin', IsOwnedByProfile: true, ProfileId: '00eADM' };
    const data = await collectAuditData(fakeOrg(answers), { dormantDays: 90, now: NOW });
    expect(data.logins).to.equal(null);
    expect(data.oauthApps).to.equal(null);
    expect(data.notEvaluated.map((n) => [n.ruleId, n.requiredPermission])).to.deep.equal([
      ['IU003', 'ManageUsers or MonitorLoginHistory'],
      ['IU008', 'ManageUsers or MonitorLoginHistory'],
      ['IU009', 'ManageUsers or MonitorLoginHistory'],
      ['IU008', 'CustomizeApplication'],
    ]);
    // the OAuth-only look-alike can't be recognised without LoginHistory
    expect(data.users.map((u) => u.username)).to.deep.equal(['apionly@x', 'int@x']);
  });

  it('a permission field missing in the org: read again without it, IU004 reported as not fully evaluated', async () => {
    const answers = base();
    const sets = answers.PermissionSet as Rows;
    answers.PermissionSet = (soql) =>
      soql.includes('PermissionsManageSandboxes')
        ? { errorCode: 'INVALID_FIELD', message: "No such column 'PermissionsManageSandboxes' on entity 'PermissionSet'." }
        : sets;
    const org = fakeOrg(answers);
    const data = await collectAuditData(org, { dormantDays: 90, now: NOW });
    expect(data.permissionsRead).to.equal(true);
    expect(data.permissionSets.get('0PSADMIN')?.permissions.has('ModifyAllData')).to.equal(true);
    expect(data.notEvaluated.map((n) => n.ruleId)).to.deep.equal(['IU004']);
    expect(data.notEvaluated[0].reason).to.contain('PermissionsManageSandboxes');
    expect(data.logins).to.not.equal(null);
    // one more request: the permission sets again, with the OAuth tokens
    expect(org.requests).to.have.length(3);
  });

  it('an OauthToken read at the platform cap: IU008 is said to be incomplete', async () => {
    const answers = base();
    answers.OauthToken = Array.from({ length: 2500 }, (_, i) => ({ UserId: '005INT', AppName: `App ${i % 2}` }));
    const run = await runAuditRules(fakeOrg(answers), { dormantDays: 90, seatThresholdPercent: 80, now: NOW });
    expect(run.rulesNotEvaluated.map((n) => n.ruleId)).to.deep.equal(['IU008']);
    expect(run.findings.filter((f) => f.ruleId === 'IU008').map((f) => f.user)).to.deep.equal(['int@x']);
  });

  it('a failed read makes its rules not evaluated instead of failing the audit', async () => {
    const answers = base();
    answers.LoginHistory = { errorCode: 'INSUFFICIENT_ACCESS', message: 'no access' };
    const run = await runAuditRules(fakeOrg(answers), { dormantDays: 90, seatThresholdPercent: 80, now: NOW });
    expect(run.rulesNotEvaluated.map((n) => n.ruleId)).to.deep.equal(['IU003', 'IU008', 'IU009']);
    expect(run.rulesNotEvaluated[0].reason).to.contain('INSUFFICIENT_ACCESS');
  });

  it('IU013: checks the run-as users of the project’s External Client App policy files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-eca-'));
    const policies = join(dir, 'force-app', 'main', 'default', 'extlClntAppOauthPolicies');
    mkdirSync(policies, { recursive: true });
    const policy = (user: string): string =>
      `<?xml version="1.0" encoding="UTF-8"?><ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata"><clientCredentialsFlowUser>${user}</clientCredentialsFlowUser><isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled></ExtlClntAppOauthConfigurablePolicies>`;
    writeFileSync(join(policies, 'Good.ecaOauthPlcy-meta.xml'), policy('int@x'));
    writeFileSync(join(policies, 'Human.ecaOauthPlcy-meta.xml'), policy('jane@x'));
    writeFileSync(join(policies, 'Ghost.ecaOauthPlcy-meta.xml'), policy('ghost@x'));
    const run = await runAuditRules(fakeOrg(base()), { dormantDays: 90, seatThresholdPercent: 80, now: NOW, projectDir: dir });
    expect(run.findings.filter((f) => f.ruleId === 'IU013').map((f) => [f.user, f.evidence.file, f.evidence.problem])).to.deep.equal([
      ['ghost@x', 'force-app/main/default/extlClntAppOauthPolicies/Ghost.ecaOauthPlcy-meta.xml', 'notFound'],
      ['jane@x', 'force-app/main/default/extlClntAppOauthPolicies/Human.ecaOauthPlcy-meta.xml', 'notIntegration'],
    ]);
  });
});
