import { expect } from 'chai';
import { makeId } from '../core/ids.js';
import { startEmulator, type Emulator } from '../index.js';
import { client, type Client } from '../testClient.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00Z');

describe('org emulator: default seed', () => {
  let emu: Emulator;
  let api: Client;
  before(async () => {
    emu = await startEmulator({ now: NOW });
    api = client(emu);
  });
  after(() => emu.close());

  const rows = async (soql: string): Promise<Array<Record<string, unknown>>> => (await api.query(soql)).records;
  const names = async (soql: string, field = 'Name'): Promise<unknown[]> => (await rows(soql)).map((r) => r[field]);
  const userId = (local: string): string => String(emu.db.records('User').find((u) => u.Username === `${local}@acme.example.com`)?.Id);

  it('is Acme Corporation, Enterprise Edition, not a sandbox, org Id makeId("00D", 1)', async () => {
    expect(emu.orgId).to.equal(makeId('00D', 1));
    expect((await rows('SELECT Name, OrganizationType, IsSandbox FROM Organization'))[0]).to.include({ Name: 'Acme Corporation', OrganizationType: 'Enterprise Edition', IsSandbox: false });
  });

  it('has the licenses, profiles, PSLs, sets and groups of the README table', async () => {
    const licenses = await rows('SELECT Name, TotalLicenses, UsedLicenses, Status FROM UserLicense');
    expect(licenses.map((l) => [l.Name, l.TotalLicenses, l.Status])).to.deep.equal([
      ['Salesforce', 50, 'Active'],
      ['Salesforce Platform', 20, 'Active'],
      ['Salesforce Integration', 5, 'Active'],
      ['Identity', 10, 'Active'],
    ]);
    expect(licenses[2].UsedLicenses, '4 of 5 integration seats used').to.equal(4);
    expect(await names('SELECT Name, UserLicense.Name FROM Profile')).to.deep.equal([
      'System Administrator', 'Standard User', 'Minimum Access - Salesforce', 'Standard Platform User',
      'Minimum Access - API Only Integrations', 'Salesforce API Only System Integrations',
    ]);
    expect((await rows('SELECT DeveloperName, MasterLabel, TotalLicenses, UsedLicenses FROM PermissionSetLicense')).map((p) => [p.DeveloperName, p.MasterLabel, p.TotalLicenses, p.UsedLicenses])).to.deep.equal([
      ['SalesforceAPIIntegrationPsl', 'Salesforce API Integration', 5, 3],
      ['SalesforceCPQ_CPQStandardPerm', 'Salesforce CPQ License', 10, 0],
      ['SalesforceCPQ_CPQAAPerm', 'Salesforce CPQ AA License', 0, 0],
    ]);
    const sets = await rows('SELECT Name, License.Name, License.MasterLabel FROM PermissionSet WHERE IsOwnedByProfile = false AND PermissionSetGroupId = null');
    const license = (s: Record<string, unknown>): unknown => (s.License as { Name?: string; MasterLabel?: string } | null)?.Name ?? (s.License as { MasterLabel?: string } | null)?.MasterLabel ?? null;
    expect(Object.fromEntries(sets.map((s) => [s.Name, license(s)]))).to.deep.equal({
      Billing_Sync_Access: null, Integration_API_Access: 'Salesforce API Integration', Sales_User_Extras: 'Salesforce', Data_Steward_ViewAll: null,
      Integration_Admin_Danger: null, Account_Modify_All: null, Marketing_Shared: null, API_Only_User: null, CPQ_Extras: 'Salesforce CPQ AA License',
      Integration_Reader: 'Salesforce Integration',
    });
    expect((await rows('SELECT DeveloperName, Status FROM PermissionSetGroup')).map((g) => [g.DeveloperName, g.Status])).to.deep.equal([
      ['Integration_Bundle', 'Updated'], ['Sales_Bundle', 'Updated'], ['Legacy_Bundle', 'Outdated'],
    ]);
    const aggregate = await rows("SELECT Type, (SELECT SobjectType FROM ObjectPerms) FROM PermissionSet WHERE PermissionSetGroup.DeveloperName = 'Integration_Bundle'");
    expect(aggregate[0].Type).to.equal('Group');
    expect((aggregate[0].ObjectPerms as { records: Array<{ SobjectType: string }> }).records.map((r) => r.SobjectType)).to.have.members(['Account', 'Opportunity', 'Contact']);
  });

  it('plants the integration users as described', async () => {
    const integration = await rows("SELECT Username, IsActive, Profile.Name FROM User WHERE Profile.UserLicense.Name = 'Salesforce Integration'");
    expect(integration.map((u) => [u.Username, u.IsActive, (u.Profile as { Name: string }).Name])).to.deep.equal([
      ['billing.sync@acme.example.com', true, 'Minimum Access - API Only Integrations'],
      ['warehouse.sync@acme.example.com', true, 'Minimum Access - API Only Integrations'],
      ['shared.connector@acme.example.com', true, 'Minimum Access - API Only Integrations'],
      ['legacy.etl@acme.example.com', true, 'Salesforce API Only System Integrations'],
      ['old.integration@acme.example.com', false, 'Minimum Access - API Only Integrations'],
    ]);
    const billing = await rows(`SELECT LoginTime, LoginType, LoginSubType, Application FROM LoginHistory WHERE UserId = '${userId('billing.sync')}'`);
    expect(billing).to.have.length(30);
    expect(new Set(billing.map((l) => `${String(l.LoginType)}/${String(l.LoginSubType)}/${String(l.Application)}`))).to.deep.equal(new Set(['Remote Access 2.0/OauthClientCredentials/Billing Sync']));
    expect(await rows(`SELECT Id FROM OauthToken WHERE UserId = '${userId('billing.sync')}'`)).to.deep.equal([]);
    expect(await names(`SELECT PermissionSet.Name, PermissionSetGroup.DeveloperName FROM PermissionSetAssignment WHERE AssigneeId = '${userId('billing.sync')}' AND PermissionSetGroupId != null`, 'PermissionSetGroup')).to.have.length(1);

    expect((await rows(`SELECT IsFrozen FROM UserLogin WHERE UserId = '${userId('warehouse.sync')}'`))[0].IsFrozen).to.equal(true);
    expect(await rows(`SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = '${userId('warehouse.sync')}'`)).to.deep.equal([]);

    expect(await names(`SELECT AppName FROM OauthToken WHERE UserId = '${userId('shared.connector')}'`, 'AppName')).to.have.members(['Workato', 'Zapier']);
    const ui = await rows(`SELECT LoginTime FROM LoginHistory WHERE UserId = '${userId('shared.connector')}' AND LoginType = 'Application'`);
    expect(ui).to.have.length(1);
    expect(NOW.getTime() - Date.parse(String(ui[0].LoginTime).replace('+0000', 'Z'))).to.be.within(1 * DAY, 8 * DAY);

    const legacy = (await rows(`SELECT LastLoginDate FROM User WHERE Id = '${userId('legacy.etl')}'`))[0];
    expect(Math.round((NOW.getTime() - Date.parse(String(legacy.LastLoginDate).replace('+0000', 'Z'))) / DAY)).to.be.within(199, 201);

    const erp = (await rows(`SELECT Profile.UserLicense.Name, (SELECT PermissionSet.Name FROM PermissionSetAssignments) FROM User WHERE Id = '${userId('erp.integration')}'`))[0];
    expect((erp.Profile as { UserLicense: { Name: string } }).UserLicense.Name).to.equal('Salesforce');
    expect((erp.PermissionSetAssignments as { records: Array<{ PermissionSet: { Name: string } }> }).records.map((r) => r.PermissionSet.Name)).to.include.members(['API_Only_User', 'Integration_Admin_Danger']);
    expect(await names(`SELECT AppName FROM OauthToken WHERE UserId = '${userId('erp.integration')}'`, 'AppName')).to.deep.equal(['SAP Connector']);

    expect(new Set(await names(`SELECT Application FROM LoginHistory WHERE UserId = '${userId('reporting.api')}'`, 'Application'))).to.deep.equal(new Set(['Tableau']));
  });

  it('queries read dates against the emulator clock (LAST_N_DAYS relative to the now option)', async () => {
    const recent = await api.query(`SELECT COUNT() FROM LoginHistory WHERE UserId = '${userId('billing.sync')}' AND LoginTime = LAST_N_DAYS:10`);
    expect(recent.totalSize).to.be.within(10, 11);
  });

  it('every user holds the PSA of its profile-owned set', () => {
    const profileSets = new Map(emu.db.records('PermissionSet').filter((s) => s.IsOwnedByProfile).map((s) => [s.ProfileId, s.Id]));
    for (const user of emu.db.records('User')) {
      const expected = profileSets.get(user.ProfileId);
      expect(emu.db.records('PermissionSetAssignment').some((a) => a.AssigneeId === user.Id && a.PermissionSetId === expected), String(user.Username)).to.equal(true);
    }
  });
});

describe('org emulator: scale seed', () => {
  it('builds 10,000 users deterministically in a few seconds, with seats to fit', async () => {
    const started = Date.now();
    const a = await startEmulator({ seed: { scale: 10_000 }, now: NOW });
    const elapsed = Date.now() - started;
    const b = await startEmulator({ seed: { scale: 10_000 }, now: NOW });
    try {
      expect(elapsed).to.be.below(5000);
      const users = a.db.records('User');
      expect(users).to.have.length(10_000 + 11);
      const fingerprint = (emu: Emulator): string =>
        JSON.stringify(['User', 'PermissionSetAssignment', 'PermissionSetLicenseAssign', 'LoginHistory', 'OauthToken'].map((t) => emu.db.records(t).length)) +
        emu.db.records('User').map((u) => `${String(u.Username)}:${String(u.ProfileId)}`).join();
      expect(fingerprint(a)).to.equal(fingerprint(b));
      const integration = users.filter((u) => String(u.Username).startsWith('integration.')).length;
      expect(integration / 10_000).to.be.within(0.17, 0.23);
      const perUser = a.db.records('PermissionSetAssignment').length / users.length;
      expect(perUser).to.be.within(2, 4);
      for (const license of [...a.db.records('UserLicense'), ...a.db.records('PermissionSetLicense')]) {
        expect(Number(license.UsedLicenses), String(license.Name ?? license.DeveloperName)).to.be.at.most(Number(license.TotalLicenses));
      }
      expect(a.db.records('LoginHistory').length / users.length).to.be.within(2.5, 4);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
