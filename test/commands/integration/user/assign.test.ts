import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import IntegrationUserAssign from '../../../../src/commands/integration/user/assign.js';
import { BASE_ROWS, fakeOrg } from './grantsFakeOrg.js';

const integrationUser = (n: number): Record<string, unknown> => ({
  Id: `00500000000000${n}AAA`,
  Username: `int${n}@acme.example.com`,
  Name: `Int ${n}`,
  Email: 'it@acme.example.com',
  IsActive: true,
  ProfileId: '00e000000000001AAA',
  Profile: { Name: 'Minimum Access - API Only Integrations', UserLicense: { Name: 'Salesforce Integration' } },
});

describe('integration user assign (command)', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let ux: ReturnType<typeof stubSfCommandUx>;
  let writes: Array<{ url: string; body: Record<string, unknown> }>;

  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    ux = stubSfCommandUx($$.SANDBOX);
    stubSpinner($$.SANDBOX);
    writes = [];
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('writes two users\' grants in two collection requests, PSLs first, and exits 0', async () => {
    $$.fakeConnectionRequest = fakeOrg({ ...BASE_ROWS, User: [integrationUser(1), integrationUser(2)] }, writes) as typeof $$.fakeConnectionRequest;
    const result = await IntegrationUserAssign.run(['-o', testOrg.username, '-b', 'int1@acme.example.com', '-b', 'int2@acme.example.com', '-p', 'Billing_Sync_Access']);
    expect(result.users.map((u) => `${u.username}:${u.status}`)).to.deep.equal(['int1@acme.example.com:updated', 'int2@acme.example.com:updated']);
    expect(writes.map((w) => (w.body.records as Array<{ attributes: { type: string } }>).map((r) => r.attributes.type)[0])).to.deep.equal([
      'PermissionSetLicenseAssign',
      'PermissionSetAssignment',
    ]);
    expect(process.exitCode).to.equal(0);
    expect(ux.table.callCount).to.equal(1);
  });

  it('refuses an unknown user before writing', async () => {
    $$.fakeConnectionRequest = fakeOrg({ ...BASE_ROWS, User: [integrationUser(1)] }, writes) as typeof $$.fakeConnectionRequest;
    const error = await IntegrationUserAssign.run(['-o', testOrg.username, '-b', 'ghost@acme.example.com', '-p', 'Billing_Sync_Access']).then(
      () => undefined,
      (e: Error) => e
    );
    expect(error?.message).to.include('No user with the username "ghost@acme.example.com" in this org.');
    expect(writes).to.deep.equal([]);
  });
});
