import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import IntegrationUserCreate from '../../../../src/commands/integration/user/create.js';
import { BASE_ROWS, fakeOrg } from './grantsFakeOrg.js';

describe('integration user create (command)', () => {
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

  const running = (): Record<string, unknown> => ({
    Id: '005000000000000AAA',
    Username: testOrg.username,
    Email: 'admin@acme.example.com',
    LocaleSidKey: 'en_GB',
    TimeZoneSidKey: 'Europe/London',
    LanguageLocaleKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
  });

  it('creates the user and its grants in one composite write, then prints the grants and the next step', async () => {
    $$.fakeConnectionRequest = fakeOrg({ ...BASE_ROWS, User: [running()] }, writes) as typeof $$.fakeConnectionRequest;
    const result = await IntegrationUserCreate.run(['-o', testOrg.username, '-n', 'Billing Sync', '-u', 'billing.sync.int@acme.example.com', '-p', 'Billing_Sync_Access']);
    expect(result).to.include({ created: true, username: 'billing.sync.int@acme.example.com', email: 'admin@acme.example.com', profile: 'Minimum Access - API Only Integrations' });
    expect(result.changes.map((c) => `${c.action}:${c.name}`)).to.deep.equal([
      'createUser:billing.sync.int@acme.example.com',
      'assign:SalesforceAPIIntegrationPsl',
      'assign:Billing_Sync_Access',
    ]);
    expect(writes).to.have.length(1);
    const userBody = (writes[0].body.compositeRequest as Array<{ body: Record<string, unknown> }>)[0].body;
    expect(userBody).to.include({ ProfileId: '00e000000000001AAA', TimeZoneSidKey: 'Europe/London', LocaleSidKey: 'en_GB', Alias: 'billings' });
    expect(Object.keys(userBody).some((k) => /password/i.test(k))).to.be.false;
    expect(ux.table.firstCall.args[0].data).to.deep.include({ type: 'Permission set', name: 'Billing_Sync_Access', label: 'Billing Sync Access', status: 'added' });
    const logged = ux.log.args.flat().join('\n');
    expect(logged).to.include('Created integration user billing.sync.int@acme.example.com');
    expect(logged).to.include('sf integration user generate app --name Billing_Sync --run-as billing.sync.int@acme.example.com --contact-email admin@acme.example.com');
  });

  it('--dry-run writes nothing and shows "to add"', async () => {
    $$.fakeConnectionRequest = fakeOrg({ ...BASE_ROWS, User: [running()] }, writes) as typeof $$.fakeConnectionRequest;
    const result = await IntegrationUserCreate.run(['-o', testOrg.username, '-n', 'Billing Sync', '-p', 'Billing_Sync_Access', '--dry-run']);
    expect(writes).to.deep.equal([]);
    expect(result).to.include({ created: false, dryRun: true, id: null });
    expect(result.grants.map((g) => g.status)).to.deep.equal(['toAdd', 'toAdd']);
  });

  it('fails with every problem at once and writes nothing', async () => {
    $$.fakeConnectionRequest = fakeOrg({ ...BASE_ROWS, User: [running()] }, writes) as typeof $$.fakeConnectionRequest;
    const error = await IntegrationUserCreate.run(['-o', testOrg.username, '-n', 'X', '-p', 'Billing_Synk_Access', '-e', 'bad', '--alias', 'muchtoolong']).then(
      () => undefined,
      (e: Error & { actions?: string[] }) => e
    );
    expect(error?.name).to.equal('ValidationFailedError');
    expect(error?.message).to.include('3 problem(s)');
    expect(error?.actions).to.include('Did you mean: Billing_Sync_Access?');
    expect(writes).to.deep.equal([]);
  });
});
