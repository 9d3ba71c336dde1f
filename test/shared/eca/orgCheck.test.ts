import { expect } from 'chai';
import type { Connection, SfError } from '@salesforce/core';
import { checkInOrg } from '../../../src/shared/eca/orgCheck.js';
import { sameId } from '../../../src/shared/model/ids.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { connectTo } from '../../helpers/connection.js';

const at = (name: string): string => `${name}@acme.example.com`;
const BILLING = at('billing.sync');
const API_ONLY_PROFILE = 'Minimum Access - API Only Integrations';

async function rejection(p: Promise<unknown>): Promise<SfError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err, 'expected a rejection').to.be.instanceOf(Error);
  return err as SfError;
}

describe('eca checkInOrg (org emulator, default seed)', () => {
  let emu: Emulator;
  let conn: Connection;

  beforeEach(async () => {
    emu = await startEmulator({ seed: 'default' });
    conn = await connectTo(emu, '62.0');
    emu.resetRequestLog();
  });

  afterEach(async () => {
    await emu.close();
  });

  const composites = (): number => emu.requests.filter((r) => r.path.endsWith('/composite')).length;

  it('accepts an active API-only integration user and returns names in the org spelling, in one read (2 composite requests at most)', async () => {
    const result = await checkInOrg(conn, { runAs: BILLING.toUpperCase(), permissionSets: ['billing_sync_access'], profiles: [API_ONLY_PROFILE.toLowerCase()] });
    expect(result).to.deep.equal({ permissionSets: ['Billing_Sync_Access'], profiles: [API_ONLY_PROFILE], warnings: [] });
    expect(emu.requests).to.have.length(composites());
    expect(composites()).to.be.at.most(2);
  });

  it('sends nothing when there is nothing to check', async () => {
    expect(await checkInOrg(conn, { permissionSets: [], profiles: [] })).to.deep.equal({ permissionSets: [], profiles: [], warnings: [] });
    expect(emu.requests).to.have.length(0);
  });

  const refusals: Array<[string, string, string]> = [
    ['an unknown user', at('nobody'), 'RunAsNotFoundError'],
    ['an inactive user', at('old.integration'), 'RunAsInactiveError'],
    ['a frozen user', at('warehouse.sync'), 'RunAsInactiveError'],
    ['a user on a full Salesforce license', at('john.smith'), 'NotIntegrationUserError'],
  ];
  for (const [title, username, name] of refusals) {
    it(`refuses ${title} as run-as user`, async () => {
      const err = await rejection(checkInOrg(conn, { runAs: username, permissionSets: [], profiles: [] }));
      expect(err.name).to.equal(name);
      expect(err.message).to.include(username);
      expect(err.exitCode).to.equal(1);
      expect(err.actions ?? []).to.not.be.empty;
    });
  }

  it('refuses an integration user without API Only (its profile lost the permission)', async () => {
    const profile = emu.db.records('Profile').find((p) => p.Name === API_ONLY_PROFILE)!;
    const profileSet = emu.db.records('PermissionSet').find((s) => s.IsOwnedByProfile === true && sameId(String(s.ProfileId), String(profile.Id)))!;
    emu.db.update(profileSet, { PermissionsApiUserOnly: false });
    emu.db.commit();
    const err = await rejection(checkInOrg(conn, { runAs: BILLING, permissionSets: [], profiles: [] }));
    expect(err.name).to.equal('NotApiOnlyError');
  });

  it('lists every permission set and profile the org lacks at once, each with "did you mean"', async () => {
    const err = await rejection(
      checkInOrg(conn, { permissionSets: ['Billing_Sync_Access', 'Billing_Sync_Acess', 'Nope_At_All_Zzz'], profiles: ['Minimum Access - API Only Integration'] })
    );
    expect(err.name).to.equal('OrgCheckFailedError');
    expect(err.exitCode).to.equal(1);
    expect(err.message).to.include('Billing_Sync_Acess (did you mean Billing_Sync_Access?)');
    expect(err.message).to.include('Nope_At_All_Zzz');
    expect(err.message).to.not.include('Nope_At_All_Zzz (did you mean');
    expect(err.message).to.include(`Minimum Access - API Only Integration (did you mean ${API_ONLY_PROFILE}`);
    expect(err.message.split('\n').filter((l) => l.startsWith('- '))).to.have.length(2);
    expect(err.actions?.join('\n')).to.include('Setup > Profiles').and.include('permission set API names');
  });

  it('a bad run-as user and an unknown set: both problems in one error', async () => {
    const err = await rejection(checkInOrg(conn, { runAs: at('john.smith'), permissionSets: ['Ghost_Set'], profiles: [] }));
    expect(err.name).to.equal('OrgCheckFailedError');
    expect(err.message).to.include(at('john.smith')).and.include('Ghost_Set');
  });

  it('warns when the run-as user holds none of the pre-authorised sets or profiles', async () => {
    const result = await checkInOrg(conn, { runAs: BILLING, permissionSets: ['Integration_API_Access'], profiles: [] });
    expect(result.warnings).to.have.length(1);
    expect(result.warnings[0]).to.include(BILLING);
  });
});
