import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import IntegrationUserList from '../../../../src/commands/integration/user/list.js';

type Rows = Record<string, Array<Record<string, unknown>>>;

const LICENSE = (used: number, total = 5): Record<string, unknown> => ({
  Id: '100000000000001AAA',
  Name: 'Salesforce Integration',
  MasterLabel: 'Salesforce Integration',
  Status: 'Active',
  TotalLicenses: total,
  UsedLicenses: used,
});
const PSL = (used: number): Record<string, unknown> => ({
  Id: '0PL000000000001AAA',
  DeveloperName: 'SalesforceAPIIntegrationPsl',
  MasterLabel: 'Salesforce API Integration',
  Status: 'Active',
  ExpirationDate: null,
  TotalLicenses: 5,
  UsedLicenses: used,
});
const ORG = (edition = 'Enterprise Edition'): Record<string, unknown> => ({
  Id: '00D000000000001AAA',
  Name: 'Acme',
  OrganizationType: edition,
  IsSandbox: false,
  TrialExpirationDate: null,
});
const USERS = [
  {
    Id: '005000000000001AAA',
    Username: 'billing.sync@acme.example.com',
    Name: 'Billing Sync',
    Email: 'billing@acme.example.com',
    IsActive: true,
    LastLoginDate: '2026-01-02T03:04:05.000+0000',
    ProfileId: '00e000000000001AAA',
    Profile: { Name: 'Minimum Access - API Only Integrations', UserLicense: { Name: 'Salesforce Integration' } },
  },
  {
    Id: '005000000000002AAA',
    Username: 'legacy.etl@acme.example.com',
    Name: 'Legacy ETL',
    Email: 'etl@acme.example.com',
    IsActive: true,
    LastLoginDate: null,
    ProfileId: '00e000000000002AAA',
    Profile: { Name: 'Salesforce API Only System Integrations', UserLicense: { Name: 'Salesforce' } },
  },
];
const PSA = [
  {
    Id: '0Pa000000000001AAA',
    AssigneeId: '005000000000001AAA',
    PermissionSetId: '0PS000000000001AAA',
    PermissionSet: { Name: 'Billing_Sync_Access', Label: 'Billing Sync Access', IsOwnedByProfile: false },
    PermissionSetGroupId: null,
    PermissionSetGroup: null,
  },
];

/** A fake org answering the composite query requests the list makes, by queried object. */
function fakeOrg(rows: Rows, requests: string[]) {
  return (request: unknown): Promise<unknown> => {
    const { url, body } = request as { url: string; body?: string };
    requests.push(url);
    if (!url.endsWith('/composite')) return Promise.reject(new Error(`unexpected request ${url}`));
    const { compositeRequest } = JSON.parse(body ?? '{}') as { compositeRequest: Array<{ url: string; referenceId: string }> };
    return Promise.resolve({
      compositeResponse: compositeRequest.map(({ url: subUrl, referenceId }) => {
        const soql = decodeURIComponent(subUrl.split('q=')[1] ?? '');
        const object = /\bFROM\s+(\w+)/i.exec(soql.replace(/\(SELECT[^)]*\)/gi, ''))?.[1] ?? '';
        const records = rows[object] ?? [];
        return { referenceId, httpStatusCode: 200, body: { totalSize: records.length, done: true, records } };
      }),
    });
  };
}

describe('integration user list (command)', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let ux: ReturnType<typeof stubSfCommandUx>;
  let requests: string[];

  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    ux = stubSfCommandUx($$.SANDBOX);
    requests = [];
  });

  afterEach(() => {
    process.exitCode = undefined;
  });

  function org(rows: Partial<Rows>): void {
    $$.fakeConnectionRequest = fakeOrg(
      {
        Organization: [ORG()],
        UserLicense: [LICENSE(4)],
        PermissionSetLicense: [PSL(3)],
        User: USERS,
        PermissionSetAssignment: PSA,
        ...rows,
      },
      requests
    ) as typeof $$.fakeConnectionRequest;
  }

  it('returns the integration users, legacy flagged, with names, booleans and ISO dates, in 2 composite requests', async () => {
    org({});
    const result = await IntegrationUserList.run(['--target-org', testOrg.username]);
    // (core may first ask for the API version; the list itself is two composite requests)
    expect(requests.filter((url) => url.endsWith('/composite'))).to.have.length(2);
    expect(result.users.map((u) => [u.username, u.legacy])).to.deep.equal([
      ['billing.sync@acme.example.com', false],
      ['legacy.etl@acme.example.com', true],
    ]);
    expect(result.users[0]).to.include({ active: true, frozen: false, lastLogin: '2026-01-02T03:04:05.000Z' });
    expect(result.users[0].permissionSets).to.deep.equal(['Billing_Sync_Access']);
    expect(result.users[1].lastLogin).to.equal(null);
    expect(result.seats).to.deep.equal({
      integrationUserLicense: { total: 5, used: 4, available: 1 },
      apiIntegrationPsl: { total: 5, used: 3, available: 2 },
    });
    expect(result.org).to.deep.include({ name: 'Acme', edition: 'Enterprise Edition', kind: 'production' });
    expect(ux.warn.called).to.be.false;
  });

  it('renders a table with the legacy profile flagged, then the seat lines', async () => {
    org({});
    await IntegrationUserList.run(['--target-org', testOrg.username]);
    expect(ux.table.callCount).to.equal(1);
    const data = ux.table.firstCall.args[0].data as Array<Record<string, string>>;
    expect(data[0]).to.include({ username: 'billing.sync@acme.example.com', active: 'yes', frozen: 'no', permissionSets: 'Billing_Sync_Access' });
    expect(data[1].profile).to.match(/^Salesforce API Only System Integrations \(legacy/);
    expect(data[1].lastLogin).to.equal('never');
    const lines = ux.log.args.flat();
    expect(lines).to.include('Salesforce Integration user licenses: 4 of 5 used, 1 available.');
    expect(lines).to.include('Salesforce API Integration permission set licenses: 3 of 5 used, 2 available.');
  });

  it('says so when there are no integration users, instead of an empty table', async () => {
    org({ User: [], PermissionSetAssignment: [] });
    const result = await IntegrationUserList.run(['--target-org', testOrg.username]);
    expect(result.users).to.deep.equal([]);
    expect(ux.table.called).to.be.false;
    expect(ux.log.args.flat()).to.include('No integration users in this org.');
  });

  it('warns when the integration seats are exhausted and when the API Integration PSL is missing', async () => {
    org({ UserLicense: [LICENSE(5)], PermissionSetLicense: [] });
    const result = await IntegrationUserList.run(['--target-org', testOrg.username]);
    expect(result.seats.apiIntegrationPsl).to.equal(null);
    const warnings = ux.warn.args.flat().map(String);
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.include('Every Salesforce Integration user license is in use (5 of 5)');
    expect(warnings[1]).to.include('no "Salesforce API Integration" permission set license');
    expect(ux.log.args.flat()).to.include('Salesforce API Integration permission set licenses: none in this org.');
  });

  it('fails with a clear message on an edition without integration users', async () => {
    org({ Organization: [ORG('Professional Edition')], UserLicense: [] });
    const err = (await IntegrationUserList.run(['--target-org', testOrg.username]).then(
      () => undefined,
      (e: unknown) => e
    )) as { name: string; message: string; actions?: string[] } | undefined;
    expect(err?.name).to.equal('UnsupportedEditionError');
    expect(err?.message).to.include('Professional Edition');
    expect(err?.actions?.join('\n')).to.include('Enterprise');
  });
});
