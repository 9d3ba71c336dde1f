import { expect } from 'chai';
import { assertNoProblems, validateGrants, validateNewUser } from '../../../src/shared/grants/validate.js';
import type { GrantNames } from '../../../src/shared/grants/types.js';
import { CANDIDATES, catalog, IDS, licenses, user } from './fixtures.js';

const names = (partial: Partial<GrantNames>): GrantNames => ({ permissionSetLicenses: [], permissionSets: [], permissionSetGroups: [], ...partial });

function run(wanted: GrantNames, opts: { mode?: 'create' | 'assign'; targets?: Parameters<typeof validateGrants>[0]['targets']; allow?: boolean; apiPslUsed?: number } = {}) {
  return validateGrants({
    mode: opts.mode ?? 'create',
    licenses: licenses({ apiPslUsed: opts.apiPslUsed }),
    catalog: catalog(wanted),
    candidates: CANDIDATES,
    wanted,
    targets: opts.targets ?? [{ username: 'new.user@acme.example.com', user: undefined }],
    allowNonIntegrationUser: opts.allow,
  });
}

describe('grants: validateGrants', () => {
  it('plans the API Integration PSL first, then sets, then groups, for a new user', () => {
    const { problems, plans } = run(names({ permissionSets: ['Billing_Sync_Access', 'integration_reader'], permissionSetGroups: ['Integration_Bundle'] }));
    expect(problems).to.deep.equal([]);
    expect(plans[0].grants.map((g) => `${g.type}:${g.name}:${g.status}`)).to.deep.equal([
      'permissionSetLicense:SalesforceAPIIntegrationPsl:add',
      'permissionSet:Billing_Sync_Access:add',
      'permissionSet:Integration_Reader:add',
      'permissionSetGroup:Integration_Bundle:add',
    ]);
  });

  it('reports every problem at once, each with an action, with close matches', () => {
    const { problems } = run(
      names({
        permissionSets: ['Billing_Synk_Access', 'Sales_User_Extras'],
        permissionSetGroups: ['Legacy_Bundle', 'Sales_Bundle', 'Nope_Group'],
        permissionSetLicenses: ['Salesforce CPQ AA License', 'CPQ Licence'],
      })
    );
    const text = problems.map((p) => p.message);
    expect(text).to.include('Permission set "Billing_Synk_Access" doesn\'t exist in this org.');
    expect(problems.find((p) => p.message.includes('Billing_Synk_Access'))?.actions[0]).to.equal('Did you mean: Billing_Sync_Access?');
    expect(text).to.include(
      'Permission set "Sales_User_Extras" has the license "Salesforce", so users on the "Salesforce Integration" user license can\'t be assigned it. A permission set\'s license can\'t be changed.'
    );
    expect(text).to.include('Permission set group "Legacy_Bundle" has status Outdated; only an Updated group can be assigned.');
    expect(text.some((t) => t.startsWith('Permission set group "Sales_Bundle" contains permission set "Sales_User_Extras", whose license "Salesforce"'))).to.be.true;
    expect(text).to.include('Permission set group "Nope_Group" doesn\'t exist in this org.');
    expect(text).to.include('Permission set license "CPQ Licence" doesn\'t exist in this org.');
    expect(text).to.include('No seats left on permission set license "Salesforce CPQ AA License" (0 of 0 used; 1 needed).');
    expect(problems.every((p) => p.actions.length > 0)).to.be.true;
  });

  it('adds the PSL a set needs, before the sets, saying which set needs it, and checks its seats', () => {
    const { problems, plans } = run(names({ permissionSets: ['CPQ_Extras'] }));
    // The CPQ AA license has no seats: the added PSL is checked like any other, and the error says which set needs it.
    expect(problems.map((p) => p.message)).to.deep.equal([
      'No seats left on permission set license "Salesforce CPQ AA License", which CPQ_Extras requires (0 of 0 used; 1 needed).',
    ]);
    expect(problems[0].actions).to.include('Or leave out the permission sets that require it.');
    expect(plans[0].grants.map((g) => `${g.type}:${g.name}:${g.status}:${g.neededBy ?? ''}`)).to.deep.equal([
      'permissionSetLicense:SalesforceAPIIntegrationPsl:add:',
      'permissionSetLicense:SalesforceCPQ_CPQAAPerm:add:CPQ_Extras',
      'permissionSet:CPQ_Extras:add:',
    ]);
  });

  it('counts PSL seats over all users', () => {
    const targets = ['a', 'b', 'c', 'd'].map((n) => ({ username: `${n}@x.com`, user: user({ id: `005${n}`, username: `${n}@x.com` }) }));
    const { problems } = run(names({ permissionSets: ['Billing_Sync_Access'] }), { mode: 'assign', targets, apiPslUsed: 2 });
    expect(problems.map((p) => p.message)).to.deep.equal(['No seats left on permission set license "Salesforce API Integration" (2 of 5 used; 4 needed).']);
  });

  it('skips what the user holds and refuses users who are not integration users unless allowed', () => {
    const held = user({ permissionSetLicenses: [{ id: IDS.apiPsl, name: 'SalesforceAPIIntegrationPsl', label: 'x', assignmentId: '2LA' }] });
    const human = user({ id: '005h', username: 'jane.doe@acme.example.com', userLicense: 'Salesforce', isIntegrationLicense: false, profileName: 'Standard User' });
    const wanted = names({ permissionSets: ['Billing_Sync_Access'] });
    const refused = run(wanted, { mode: 'assign', targets: [{ username: held.username, user: held }, { username: human.username, user: human }, { username: 'ghost@x.com', user: undefined }] });
    expect(refused.problems.map((p) => p.message)).to.deep.equal([
      '"jane.doe@acme.example.com" is not an integration user (user license "Salesforce", profile "Standard User").',
      'No user with the username "ghost@x.com" in this org.',
    ]);
    expect(refused.plans[0].grants.map((g) => g.status)).to.deep.equal(['present', 'add']);
    const allowed = run(names({ permissionSets: ['Sales_User_Extras'] }), { mode: 'assign', targets: [{ username: human.username, user: human }], allow: true });
    expect(allowed.problems).to.deep.equal([]);
    expect(allowed.plans[0].grants.map((g) => g.name)).to.deep.equal(['Sales_User_Extras']);
  });

  it('refuses a create whose username belongs to a user on another license', () => {
    const human = user({ userLicense: 'Salesforce', isIntegrationLicense: false, profileName: 'Standard User' });
    const { problems } = run(names({}), { targets: [{ username: human.username, user: human }] });
    expect(problems[0].message).to.match(/already belongs to a user of this org who is not an integration user \(user license "Salesforce"/);
  });
});

describe('grants: validateNewUser and assertNoProblems', () => {
  it('needs a free integration seat and the integration profile', () => {
    const problems = validateNewUser({ licenses: licenses({ integrationUsed: 5 }), profile: undefined, needsSeat: true, fieldProblems: [] });
    expect(problems.map((p) => p.message)).to.deep.equal([
      'No Salesforce Integration user license left (5 of 5 used).',
      'This org has no profile on the Salesforce Integration user license (normally "Minimum Access - API Only Integrations").',
    ]);
  });
  it('throws one error with a bullet per problem and every action', () => {
    expect(() => assertNoProblems([])).to.not.throw();
    let error: unknown;
    try {
      assertNoProblems([
        { message: 'A is wrong.', actions: ['Fix A.'] },
        { message: 'B is wrong.', actions: ['Fix B.', 'Fix A.'] },
      ]);
    } catch (e) {
      error = e;
    }
    const err = error as { name: string; message: string; actions: string[] };
    expect(err.name).to.equal('ValidationFailedError');
    expect(err.message).to.equal('Nothing was written: 2 problems to fix first.\n- A is wrong.\n- B is wrong.');
    expect(err.actions).to.deep.equal(['Fix A.', 'Fix B.']);
  });
});
