import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import type { OrgConnection } from '../../../src/shared/api.js';
import { checkInOrg } from '../../../src/shared/eca/orgCheck.js';

type Row = Record<string, unknown>;
type FakeUser = { username: string; license: string; profile: string; active?: boolean; apiOnly?: boolean; sets?: string[] };

/** A fake org answering the composite query requests checkInOrg sends; records every SOQL it saw. */
function fakeOrg(users: FakeUser[], permissionSets: string[], profiles: string[]): OrgConnection & { soql: string[]; requests: number } {
  const soql: string[] = [];
  const answer = (q: string): Row[] => {
    const names = [...q.matchAll(/'([^']*)'/g)].map((m) => m[1].toLowerCase());
    const user = users.find((u) => names.includes(u.username.toLowerCase()));
    if (q.startsWith('SELECT Id, Username')) {
      return user
        ? [{ Id: '005000000000001AAA', Username: user.username, IsActive: user.active ?? true, ProfileId: '00e000000000001AAA', Profile: { Name: user.profile, UserLicense: { Name: user.license } } }]
        : [];
    }
    if (q.includes('FROM PermissionSetAssignment WHERE Assignee.Username')) return user?.apiOnly ? [{ Id: '0Pa000000000001AAA' }] : [];
    if (q.includes('FROM PermissionSetAssignment')) {
      return (user?.sets ?? []).map((name, i) => ({ Id: `0Pa00000000000${i}AAA`, AssigneeId: '005000000000001AAA', PermissionSetId: `0PS00000000000${i}AAA`, PermissionSet: { Name: name, Label: name, IsOwnedByProfile: false } }));
    }
    if (q.includes('FROM PermissionSet WHERE')) return permissionSets.filter((n) => names.includes(n.toLowerCase())).map((Name) => ({ Name }));
    if (q.includes('FROM Profile WHERE')) return profiles.filter((n) => names.includes(n.toLowerCase())).map((Name) => ({ Name }));
    return [];
  };
  const org = {
    soql,
    requests: 0,
    getApiVersion: () => '62.0',
    getUsername: () => 'admin@acme.example.com',
    request: (req: { url: string; body: string }) => {
      org.requests++;
      const { compositeRequest } = JSON.parse(req.body) as { compositeRequest: Array<{ url: string; referenceId: string }> };
      const compositeResponse = compositeRequest.map((sub) => {
        const q = decodeURIComponent(sub.url.split('?q=')[1]);
        soql.push(q);
        const records = answer(q);
        return { referenceId: sub.referenceId, httpStatusCode: 200, body: { totalSize: records.length, done: true, records } };
      });
      return Promise.resolve({ compositeResponse });
    },
  };
  return org as unknown as OrgConnection & { soql: string[]; requests: number };
}

const integrationUser: FakeUser = {
  username: 'billing.sync@acme.example.com',
  license: 'Salesforce Integration',
  profile: 'Minimum Access - API Only Integrations',
  apiOnly: true,
  sets: ['Billing_Sync_Access'],
};

async function rejection(p: Promise<unknown>): Promise<SfError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err, 'expected a rejection').to.be.instanceOf(Error);
  return err as SfError;
}

describe('eca checkInOrg', () => {
  it('accepts an active API-only integration user and returns names in the org spelling, in two round trips', async () => {
    const org = fakeOrg([integrationUser], ['Billing_Sync_Access'], ['Minimum Access - API Only Integrations']);
    const result = await checkInOrg(org, {
      runAs: 'Billing.Sync@acme.example.com',
      permissionSets: ['billing_sync_access'],
      profiles: ['minimum access - api only integrations'],
    });
    expect(result).to.deep.equal({ permissionSets: ['Billing_Sync_Access'], profiles: ['Minimum Access - API Only Integrations'], warnings: [] });
    expect(org.soql).to.have.length(7);
    expect(org.requests).to.equal(2);
    expect(org.soql.some((q) => q.includes('PermissionSet.PermissionsApiUserOnly = true'))).to.be.true;
  });

  it('sends nothing when there is nothing to check', async () => {
    const org = fakeOrg([], [], []);
    expect(await checkInOrg(org, { permissionSets: [], profiles: [] })).to.deep.equal({ permissionSets: [], profiles: [], warnings: [] });
    expect(org.requests).to.equal(0);
  });

  const refusals: Array<[string, FakeUser[], string]> = [
    ['an unknown user', [], 'RunAsNotFoundError'],
    ['an inactive user', [{ ...integrationUser, active: false }], 'RunAsInactiveError'],
    ['a user on a full Salesforce license', [{ ...integrationUser, license: 'Salesforce', profile: 'Standard User' }], 'NotIntegrationUserError'],
    ['an integration user without API Only', [{ ...integrationUser, apiOnly: false }], 'NotApiOnlyError'],
  ];
  for (const [title, users, name] of refusals) {
    it(`refuses ${title} as run-as user`, async () => {
      const err = await rejection(checkInOrg(fakeOrg(users, [], []), { runAs: integrationUser.username, permissionSets: [], profiles: [] }));
      expect(err.name).to.equal(name);
      expect(err.message).to.include(integrationUser.username);
      expect(err.actions ?? []).to.not.be.empty;
    });
  }

  it('lists every permission set and profile the org lacks', async () => {
    const org = fakeOrg([], ['Billing_Sync_Access'], ['Partner Integration']);
    const sets = await rejection(checkInOrg(org, { permissionSets: ['Billing_Sync_Access', 'Nope_A', 'Nope_B'], profiles: [] }));
    expect(sets.name).to.equal('UnknownPermissionSetsError');
    expect(sets.message).to.include('Nope_A, Nope_B').and.not.include('Billing_Sync_Access');
    const profiles = await rejection(checkInOrg(org, { permissionSets: [], profiles: ['Ghost'] }));
    expect(profiles.name).to.equal('UnknownProfilesError');
  });

  it('warns when the run-as user holds none of the pre-authorised sets or profiles', async () => {
    const org = fakeOrg([integrationUser], ['Other_Access'], []);
    const result = await checkInOrg(org, { runAs: integrationUser.username, permissionSets: ['Other_Access'], profiles: [] });
    expect(result.warnings).to.have.length(1);
    expect(result.warnings[0]).to.include(integrationUser.username);
  });
});
