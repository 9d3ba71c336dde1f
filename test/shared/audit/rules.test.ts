import { expect } from 'chai';
import { licensesRead } from '../../../src/shared/licenses.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Messages } from '@salesforce/core';
import { evaluate } from '../../../src/shared/audit/engine.js';
import { AUDIT_RULES } from '../../../src/shared/audit/rules/index.js';
import { READS } from '../../../src/shared/audit/reads.js';
import { addLogin, loginKind, type AuditData, type AuditUser, type LoginSummary, type PermissionSetInfo } from '../../../src/shared/audit/model.js';
import { parsePolicyFile } from '../../../src/shared/audit/ecaPolicies.js';
import { noSuchColumn, PERMISSION_FIELDS, permissionSetQuery } from '../../../src/shared/audit/collect.js';
import { HIGH_RISK_PERMISSIONS, RULES } from '../../../src/shared/audit/rules.js';
import { fingerprintOf, type Finding } from '../../../src/shared/audit/types.js';

const OPTIONS = { dormantDays: 90, seatThresholdPercent: 80 };
const NOW = new Date('2026-11-28T12:00:00Z');

const licenses = licensesRead().assemble([
  [
    { Id: '100000000000001AAA', Name: 'Salesforce', MasterLabel: 'Salesforce', Status: 'Active', TotalLicenses: 10, UsedLicenses: 5 },
    { Id: '100000000000002AAA', Name: 'Salesforce Integration', MasterLabel: 'Salesforce Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: 2 },
  ],
  [{ Id: '0PL000000000001AAA', DeveloperName: 'SalesforceAPIIntegrationPsl', MasterLabel: 'Salesforce API Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: 2 }],
]);
const PSL = '0PL000000000001AAA';
const SF_LICENSE = '100000000000001AAA';

function set(id: string, name: string, extra: Partial<PermissionSetInfo> = {}): PermissionSetInfo {
  return { id, name, label: name, licenseId: null, isOwnedByProfile: false, profileId: null, groupId: null, permissions: new Set(), ...extra };
}

function user(username: string, extra: Partial<AuditUser> = {}): AuditUser {
  return {
    id: `005${username.slice(0, 4)}`,
    username,
    isActive: true,
    isFrozen: false,
    lastLoginDate: '2026-11-27T10:00:00.000+0000',
    createdDate: '2025-01-01T00:00:00.000+0000',
    profileId: '00eINT',
    profileName: 'Minimum Access - API Only Integrations',
    userLicense: 'Salesforce Integration',
    isIntegrationLicense: true,
    isLegacyProfile: false,
    reasons: ['integrationLicense'],
    pslIds: [PSL],
    setIds: [],
    groupIds: [],
    ...extra,
  };
}

function data(users: AuditUser[], extra: Partial<AuditData> = {}): AuditData {
  const sets = [
    set('0PSPROF', 'X00ProfileSet', { isOwnedByProfile: true, profileId: '00eINT', permissions: new Set(['ApiUserOnly']) }),
    set('0PSDANGER', 'Integration_Admin_Danger', { permissions: new Set(['ModifyAllData', 'ViewSetup']) }),
    set('0PSPSL', 'Integration_API_Access', { licenseId: PSL }),
    set('0PSSF', 'Sales_User_Extras', { licenseId: SF_LICENSE }),
    set('0PSMA', 'Account_Modify_All'),
    set('0PSGRPAGG', 'Bundle_Aggregate', { groupId: '0PGBUNDLE', permissions: new Set(['ViewAllData']) }),
    set('0PSVIEW', 'Data_Steward_ViewAll', { permissions: new Set(['ViewAllData']) }),
  ];
  return {
    now: NOW,
    loginWindowDays: 90,
    licenses,
    users,
    humanHolders: new Map(),
    permissionSets: new Map(sets.map((s) => [s.id, s])),
    profileSets: new Map([['00eINT', '0PSPROF']]),
    groups: new Map([['0PGBUNDLE', { id: '0PGBUNDLE', name: 'Bundle', label: 'Bundle', componentSetIds: ['0PSVIEW', '0PSPSL'] }]]),
    groupAggregateSets: new Map([['0PGBUNDLE', '0PSGRPAGG']]),
    objectAccess: new Map([['0PSMA', [{ object: 'Account', viewAll: true, modifyAll: true }]], ['0PSVIEW', [{ object: 'Case', viewAll: true, modifyAll: false }]]]),
    logins: new Map(),
    oauthApps: new Map(),
    runAsUsers: new Map(),
    ecaPolicies: [],
    notEvaluated: [],
    skipped: new Set(),
    unknownUsernames: [],
    ...extra,
  };
}

function summary(extra: Partial<LoginSummary>): LoginSummary {
  return { logins: 10, apiLogins: 10, uiLogins: 0, lastLogin: '2026-11-27T10:00:00.000+0000', lastUiLogin: null, apps: new Set(['Billing Sync']), ...extra };
}

const CHECKS = Object.fromEntries(AUDIT_RULES.map((r) => [r.id, (d: AuditData, o: typeof OPTIONS): Finding[] => r.check(d, o)]));
const run = (ruleId: string, d: AuditData, options = OPTIONS): Finding[] => CHECKS[ruleId](d, options);

describe('audit rules', () => {
  it('defines every rule once, with its severity, rationale and a remediation', () => {
    expect(RULES.map((r) => `${r.id} ${r.name}`)).to.deep.equal([
      'IU001 missing-api-integration-psl',
      'IU002 legacy-integration-profile',
      'IU003 integration-on-full-license',
      'IU004 high-risk-system-permission',
      'IU005 object-view-modify-all',
      'IU006 permission-set-license-mismatch',
      'IU007 shared-permission-assignment',
      'IU008 multiple-oauth-clients',
      'IU009 interactive-login',
      'IU010 dormant-integration-user',
      'IU011 inactive-user-with-grants',
      'IU012 integration-seats-near-limit',
      'IU013 eca-run-as-user-invalid',
      'IU014 spec-drift',
    ]);
    expect(AUDIT_RULES.map((r) => r.id)).to.deep.equal(RULES.map((r) => r.id));
    for (const r of RULES) {
      expect(r.rationale, r.id).to.have.length.greaterThan(40);
      expect(r.remediation, r.id).to.have.length.greaterThan(20);
    }
    expect(RULES.find((r) => r.id === 'IU001')?.remediation).to.contain('sf integration user assign -b <user> -l SalesforceAPIIntegrationPsl');
    expect(HIGH_RISK_PERMISSIONS.ModifyAllData).to.equal('critical');
    expect(HIGH_RISK_PERMISSIONS.ViewAllData).to.equal('high');
    expect(HIGH_RISK_PERMISSIONS.PasswordNeverExpires).to.equal('medium');
  });

  it('a user done right produces no finding from any rule', () => {
    const right = user('billing.sync@x.example', { logins: undefined } as Partial<AuditUser>);
    const d = data([right], { logins: new Map([[right.id, summary({})]]) });
    const run1 = evaluate(d, OPTIONS);
    expect(run1.findings).to.deep.equal([]);
    expect(run1.usersExamined).to.equal(1);
  });

  it('IU001 fires without the API Integration PSL, not with it, nor for full-license users', () => {
    const d = data([user('a@x', { pslIds: [] }), user('b@x'), user('c@x', { pslIds: [], isIntegrationLicense: false, userLicense: 'Salesforce', reasons: ['apiUserOnly'] })]);
    const found = run('IU001', d);
    expect(found.map((f) => f.user)).to.deep.equal(['a@x']);
    expect(found[0]).to.include({ severity: 'high', fingerprint: fingerprintOf('IU001', 'a@x', 'SalesforceAPIIntegrationPsl') });
  });

  it('IU002 fires on the legacy profile only, for active users', () => {
    const legacy = { isLegacyProfile: true, profileName: 'Salesforce API Only System Integrations' };
    const found = run('IU002', data([user('a@x', legacy), user('b@x'), user('c@x', { ...legacy, isActive: false })]));
    expect(found.map((f) => [f.user, f.severity])).to.deep.equal([['a@x', 'medium']]);
    expect(found[0].evidence).to.deep.equal({ profile: 'Salesforce API Only System Integrations' });
  });

  it('IU003 fires for API-only or OAuth-only users off the integration license', () => {
    const full = { isIntegrationLicense: false, userLicense: 'Salesforce', profileName: 'Standard User' };
    const found = run(
      'IU003',
      data([user('a@x', { ...full, reasons: ['oauthOnlyLogins'] }), user('b@x'), user('c@x', { ...full, reasons: ['named'] })])
    );
    expect(found.map((f) => f.user)).to.deep.equal(['a@x']);
    expect(found[0].evidence).to.deep.equal({ userLicense: 'Salesforce', profile: 'Standard User', signals: ['oauthOnlyLogins'] });
  });

  it('IU004 names each source (profile, set, group with its components) with the permission’s severity', () => {
    const found = run('IU004', data([user('a@x', { setIds: ['0PSDANGER'], groupIds: ['0PGBUNDLE'] }), user('b@x')]));
    expect(found.map((f) => [f.user, f.severity, f.evidence])).to.deep.equal([
      ['a@x', 'critical', { permission: 'ModifyAllData', source: 'Integration_Admin_Danger', sourceType: 'PermissionSet' }],
      ['a@x', 'medium', { permission: 'ViewSetup', source: 'Integration_Admin_Danger', sourceType: 'PermissionSet' }],
      ['a@x', 'high', { permission: 'ViewAllData', source: 'Bundle', sourceType: 'PermissionSetGroup', via: ['Data_Steward_ViewAll'] }],
    ]);
    expect(found[0].fingerprint).to.equal(fingerprintOf('IU004', 'a@x', 'ModifyAllData|PermissionSet:Integration_Admin_Danger'));
  });

  it('a rule the collector skipped (an input it needs is missing) reports nothing; the others still run', () => {
    const d = data([user('a@x', { pslIds: [], setIds: ['0PSDANGER'] })], { skipped: new Set(['IU004']) });
    const found = evaluate(d, OPTIONS).findings;
    expect(found.filter((f) => f.ruleId === 'IU004')).to.deep.equal([]);
    expect(found.map((f) => f.ruleId)).to.include('IU001');
  });

  it('IU005: Modify All is high, View All medium, per object and source', () => {
    const found = run('IU005', data([user('a@x', { setIds: ['0PSMA'], groupIds: ['0PGBUNDLE'] }), user('b@x')]));
    // the group's aggregate set has no object rows: its components are not used when the aggregate is known
    expect(found.map((f) => [f.user, f.severity, f.evidence.object, f.evidence.access])).to.deep.equal([['a@x', 'high', 'Account', 'Modify All']]);
    const viaSet = run('IU005', data([user('a@x', { setIds: ['0PSVIEW'] })]));
    expect(viaSet.map((f) => [f.severity, f.evidence.object, f.evidence.access])).to.deep.equal([['medium', 'Case', 'View All']]);
  });

  it('IU006: a PSL-licensed set without the PSL, a set on another user license; fine with the PSL', () => {
    const found = run('IU006', data([user('a@x', { pslIds: [], setIds: ['0PSPSL', '0PSSF'] }), user('b@x', { setIds: ['0PSPSL'] })]));
    expect(found.map((f) => [f.user, f.evidence.permissionSet, f.evidence.problem])).to.deep.equal([
      ['a@x', 'Integration_API_Access', 'missingPsl'],
      ['a@x', 'Sales_User_Extras', 'wrongLicense'],
    ]);
    const viaGroup = run('IU006', data([user('c@x', { pslIds: [], groupIds: ['0PGBUNDLE'] })]));
    expect(viaGroup.map((f) => [f.evidence.permissionSet, f.evidence.group])).to.deep.equal([['Integration_API_Access', 'Bundle']]);
  });

  it('IU007: a set or group shared with human users, but not the API Integration basics', () => {
    const d = data([user('a@x', { setIds: ['0PSMA', '0PSPSL'] }), user('b@x', { setIds: ['0PSDANGER'] })], {
      humanHolders: new Map([
        ['0PSMA', ['jane@x']],
        ['0PSPSL', ['john@x']],
      ]),
    });
    const found = run('IU007', d);
    expect(found.map((f) => [f.user, f.severity, f.evidence])).to.deep.equal([
      ['a@x', 'medium', { grant: 'Account_Modify_All', grantType: 'PermissionSet', humanCount: 1, humans: ['jane@x'] }],
    ]);
  });

  it('IU008: several OAuth clients across OauthToken and LoginHistory, case-insensitively', () => {
    const a = user('a@x');
    const b = user('b@x', { id: '005b' });
    const d = data([a, b], {
      oauthApps: new Map([[a.id, new Set(['Workato'])], [b.id, new Set(['SAP Connector'])]]),
      logins: new Map([[a.id, summary({ apps: new Set(['Zapier']) })], [b.id, summary({ apps: new Set(['sap connector']) })]]),
    });
    const found = run('IU008', d);
    expect(found.map((f) => [f.user, f.evidence])).to.deep.equal([['a@x', { apps: ['Workato', 'Zapier'] }]]);
    expect(found[0].fingerprint).to.equal(fingerprintOf('IU008', 'a@x', 'oauth-clients'));
  });

  it('IU009: UI logins in the window', () => {
    const a = user('a@x');
    const b = user('b@x', { id: '005b' });
    const d = data([a, b], {
      logins: new Map([[a.id, summary({ uiLogins: 1, lastUiLogin: '2026-11-21T09:00:00.000+0000' })], [b.id, summary({})]]),
    });
    const found = run('IU009', d);
    expect(found.map((f) => [f.user, f.severity, f.evidence.uiLogins])).to.deep.equal([['a@x', 'high', 1]]);
  });

  it('IU007 and IU009 messages say "1 human user", "once", "2 human users", "3 times" (no "(s)")', () => {
    const shared = data([user('a@x', { setIds: ['0PSMA', '0PSDANGER'] })], {
      humanHolders: new Map([
        ['0PSMA', ['jane@x']],
        ['0PSDANGER', ['john@x', 'jim@x']],
      ]),
    });
    const iu007 = run('IU007', shared).map((f) => f.message);
    expect(iu007.find((m) => m.includes('Account_Modify_All'))).to.match(/ with 1 human user: jane@x\.$/);
    expect(iu007.find((m) => !m.includes('Account_Modify_All'))).to.match(/ with 2 human users: jim@x, john@x\.$/);
    const a = user('a@x');
    const b = user('b@x', { id: '005b' });
    const logins = data([a, b], {
      logins: new Map([[a.id, summary({ uiLogins: 1, lastUiLogin: '2026-11-21T09:00:00.000+0000' })], [b.id, summary({ uiLogins: 3, lastUiLogin: '2026-11-22T09:00:00.000+0000' })]]),
    });
    const iu009 = run('IU009', logins).map((f) => [f.user, f.message]);
    expect(iu009.find(([u]) => u === 'a@x')?.[1]).to.match(/user interface once in the last \d+ days, on 2026-11-21/);
    expect(iu009.find(([u]) => u === 'b@x')?.[1]).to.match(/user interface 3 times in the last \d+ days, last on 2026-11-22/);
    expect([...iu007, ...iu009.map(([, m]) => m)].join(' ')).not.to.include('(s)');
  });

  it('IU010: no login for the dormant period (LastLoginDate, else creation); not for frozen users', () => {
    const d = data([
      user('old@x', { lastLoginDate: '2026-05-12T10:00:00.000+0000' }),
      user('fresh@x'),
      user('never@x', { lastLoginDate: null, createdDate: '2026-01-01T00:00:00.000+0000' }),
      user('frozen@x', { lastLoginDate: '2026-01-01T00:00:00.000+0000', isFrozen: true }),
    ]);
    const found = run('IU010', d);
    expect(found.map((f) => [f.user, f.evidence.days])).to.deep.equal([
      ['old@x', 200],
      ['never@x', 331],
    ]);
    expect(run('IU010', d, { ...OPTIONS, dormantDays: 365 })).to.deep.equal([]);
  });

  it('IU011: frozen or inactive users with grants; not active ones, nor inactive without grants', () => {
    const d = data([
      user('frozen@x', { isFrozen: true, setIds: ['0PSPSL'] }),
      user('gone@x', { isActive: false }),
      user('empty@x', { isActive: false, pslIds: [] }),
      user('ok@x', { setIds: ['0PSPSL'] }),
    ]);
    const found = run('IU011', d);
    expect(found.map((f) => [f.user, f.evidence])).to.deep.equal([
      ['frozen@x', { state: 'frozen', grants: ['PermissionSetLicense:SalesforceAPIIntegrationPsl', 'PermissionSet:Integration_API_Access'] }],
      ['gone@x', { state: 'inactive', grants: ['PermissionSetLicense:SalesforceAPIIntegrationPsl'] }],
    ]);
  });

  it('IU012: low at the threshold, medium when exhausted, nothing below; org-level', () => {
    const seats = (used: number): AuditData['licenses'] =>
      licensesRead().assemble([
        [{ Id: '100A', Name: 'Salesforce Integration', MasterLabel: 'Salesforce Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: used }],
        [{ Id: '0PLA', DeveloperName: 'SalesforceAPIIntegrationPsl', MasterLabel: 'Salesforce API Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: 5 }],
      ]);
    const found = run('IU012', data([], { licenses: seats(4) }));
    expect(found.map((f) => [f.user, f.severity, f.evidence.license, f.evidence.percent])).to.deep.equal([
      [null, 'low', 'Salesforce Integration', 80],
      [null, 'medium', 'Salesforce API Integration', 100],
    ]);
    expect(run('IU012', data([], { licenses: seats(3) })).map((f) => f.evidence.license)).to.deep.equal(['Salesforce API Integration']);
  });

  it('IU013: run-as user missing, unknown, inactive or not API-only; fine for an integration user', () => {
    const runAsUsers = new Map([
      ['good@x', { username: 'good@x', isActive: true, isIntegrationLicense: true, hasApiUserOnly: false }],
      ['gone@x', { username: 'gone@x', isActive: false, isIntegrationLicense: true, hasApiUserOnly: false }],
      ['human@x', { username: 'human@x', isActive: true, isIntegrationLicense: false, hasApiUserOnly: false }],
    ]);
    const file = (path: string, runAsUser: string | null, enabled = true): AuditData['ecaPolicies'][number] => ({ path, runAsUser, clientCredentialsEnabled: enabled });
    const d = data([], {
      runAsUsers,
      ecaPolicies: [file('a', 'good@x'), file('b', 'gone@x'), file('c', 'human@x'), file('d', 'nobody@x'), file('e', null), file('f', null, false)],
    });
    const found = run('IU013', d);
    expect(found.map((f) => [f.evidence.file, f.user, f.evidence.problem])).to.deep.equal([
      ['b', 'gone@x', 'inactive'],
      ['c', 'human@x', 'notIntegration'],
      ['d', 'nobody@x', 'notFound'],
      ['e', null, 'missing'],
    ]);
  });

  it('sorts findings by severity, user, rule and carries the collector’s not-evaluated rules', () => {
    const d = data([user('b@x', { pslIds: [], setIds: ['0PSDANGER'] }), user('a@x', { pslIds: [] })], {
      notEvaluated: [{ ruleId: 'IU009', reason: 'r', requiredPermission: 'p' }, { ruleId: 'IU009', reason: 'r', requiredPermission: 'p' }],
    });
    const result = evaluate(d, OPTIONS);
    expect(result.findings.map((f) => `${f.severity} ${f.user} ${f.ruleId}`)).to.deep.equal([
      'critical b@x IU004',
      'high a@x IU001',
      'high b@x IU001',
      'medium b@x IU004',
    ]);
    expect(result.rulesNotEvaluated).to.deep.equal([{ ruleId: 'IU009', reason: 'r', requiredPermission: 'p' }]);
  });
});

describe('audit rule modules', () => {
  const srcDir = join(process.cwd(), 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

  it('each rule declares reads that exist, message keys that exist, and permission fields', () => {
    const text = Messages.loadMessages('plugin-integration-user', 'audit');
    for (const rule of AUDIT_RULES) {
      for (const read of rule.needs) expect(Object.keys(READS), rule.id).to.include(read);
      for (const key of [`${rule.id}.rationale`, `${rule.id}.remediation`, ...rule.messageKeys]) {
        expect(text.getMessage(key), key).to.be.a('string').and.not.equal('');
      }
      for (const f of rule.permissionFields) expect(PERMISSION_FIELDS, rule.id).to.include(f);
    }
  });

  it('no rule id is written outside its own module', () => {
    const offenders: string[] = [];
    for (const file of files(srcDir)) {
      const own = /rules[\\/](IU\d{3})\.ts$/.exec(file)?.[1];
      for (const [id] of readFileSync(file, 'utf8').matchAll(/['"`]IU\d{3}['"`]/g)) {
        if (id.slice(1, -1) !== own) offenders.push(`${file}: ${id}`);
      }
    }
    expect(offenders).to.deep.equal([]);
  });
});

describe('audit helpers', () => {
  it('classifies logins: UI by LoginType Application or UI subtypes, API by OAuth subtypes, case-insensitively', () => {
    expect(loginKind('APPLICATION', null)).to.equal('ui');
    expect(loginKind('Remote Access 2.0', 'usernamepassworduilogin')).to.equal('ui');
    expect(loginKind('Remote Access 2.0', 'OauthClientCredentials')).to.equal('api');
    expect(loginKind('SAML Idp Initiated SSO', null)).to.equal('other');
  });

  it('aggregates LoginHistory rows per user, ignoring failures', () => {
    const summaries = new Map<string, LoginSummary>();
    addLogin(summaries, { UserId: 'u', LoginTime: '2026-11-01T00:00:00.000+0000', LoginType: 'Remote Access 2.0', LoginSubType: 'OauthRefreshToken', Application: 'Workato', Status: 'Success' });
    addLogin(summaries, { UserId: 'u', LoginTime: '2026-11-20T00:00:00.000+0000', LoginType: 'Application', LoginSubType: 'UsernamePasswordUiLogin', Application: 'Browser', Status: 'SUCCESS' });
    addLogin(summaries, { UserId: 'u', LoginTime: '2026-11-25T00:00:00.000+0000', LoginType: 'Application', Status: 'Invalid Password' });
    const s = summaries.get('u');
    expect(s && { ...s, apps: [...s.apps] }).to.deep.equal({
      logins: 2,
      apiLogins: 1,
      uiLogins: 1,
      lastLogin: '2026-11-20T00:00:00.000+0000',
      lastUiLogin: '2026-11-20T00:00:00.000+0000',
      apps: ['Workato'],
    });
  });

  it('reads a policy file’s run-as user and flow switch; ignores other XML', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">
  <clientCredentialsFlowUser>billing.sync@acme.example.com</clientCredentialsFlowUser>
  <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>
</ExtlClntAppOauthConfigurablePolicies>`;
    expect(parsePolicyFile('/p', '/p/force-app/main/default/extlClntAppOauthPolicies/A.ecaOauthPlcy-meta.xml', xml)).to.deep.equal({
      path: 'force-app/main/default/extlClntAppOauthPolicies/A.ecaOauthPlcy-meta.xml',
      clientCredentialsEnabled: true,
      runAsUser: 'billing.sync@acme.example.com',
    });
    expect(parsePolicyFile('/p', '/p/x.xml', '<Other/>')).to.equal(undefined);
  });

  // Salesforce's exact INVALID_FIELD shape: the query line echoed, a caret line, the position, then the reason.
  const invalidField = (fields: readonly string[], missing: string): { errorCode: string; message: string } => {
    const soql = permissionSetQuery(fields);
    const column = soql.indexOf(`Permissions${missing}`) + 1;
    return {
      errorCode: 'INVALID_FIELD',
      message:
        `\n${soql}\n${' '.repeat(column - 1)}^\nERROR at Row:1:Column:${column}\n` +
        `No such column 'Permissions${missing}' on entity 'PermissionSet'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    };
  };

  it('reads the absent field from the INVALID_FIELD message, not from the echoed query (one, two, all fields absent)', () => {
    // One absent field: the message names it once, among the echo of all 27.
    expect(noSuchColumn(invalidField([...PERMISSION_FIELDS, 'MonitorLoginHistory'], 'MonitorLoginHistory'))).to.equal('PermissionsMonitorLoginHistory');
    // Two absent: Salesforce names the first; after the retry without it, the second.
    expect(noSuchColumn(invalidField(PERMISSION_FIELDS, 'ModifyAllData'))).to.equal('PermissionsModifyAllData');
    expect(noSuchColumn(invalidField(PERMISSION_FIELDS.filter((f) => f !== 'ModifyAllData'), 'ManageSandboxes'))).to.equal('PermissionsManageSandboxes');
    // All absent: still exactly one column per answer (the first).
    expect(noSuchColumn(invalidField(PERMISSION_FIELDS, PERMISSION_FIELDS[0]))).to.equal(`Permissions${PERMISSION_FIELDS[0]}`);
    // Not an INVALID_FIELD, or no such clause: nothing is concluded.
    expect(noSuchColumn({ errorCode: 'MALFORMED_QUERY', message: "No such column 'X' on entity 'Y'." })).to.equal(undefined);
    expect(noSuchColumn({ errorCode: 'INVALID_FIELD', message: 'SELECT Id, PermissionsModifyAllData FROM PermissionSet' })).to.equal(undefined);
  });
});
