import { expect } from 'chai';
import IntegrationUserList from '../../../../src/commands/integration/user/list.js';
import { commandAgainstEmulator } from '../../../helpers/commandOrg.js';

const at = (name: string): string => `${name}@acme.example.com`;
const INTEGRATION_USERS = ['billing.sync', 'legacy.etl', 'old.integration', 'shared.connector', 'warehouse.sync'].map(at);

describe('integration user list (command, org emulator in process)', () => {
  const { testOrg, org, ux: currentUx } = commandAgainstEmulator();
  let ux: ReturnType<typeof currentUx>;
  beforeEach(() => {
    ux = currentUx();
  });

  async function failure(): Promise<{ name: string; message: string; actions?: string[]; exitCode?: number }> {
    const err = await IntegrationUserList.run(['--target-org', testOrg.username]).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(err, 'expected the command to fail').to.be.instanceOf(Error);
    return err as { name: string; message: string; actions?: string[]; exitCode?: number };
  }

  it('returns the integration users, legacy flagged, with booleans and ISO dates, in 2 composite requests', async () => {
    const e = await org();
    const result = await IntegrationUserList.run(['--target-org', testOrg.username]);
    expect(e.requests.filter((r) => r.path.endsWith('/composite'))).to.have.length(2);
    // (besides sf's own org probe when the target-org flag is parsed)
    expect(e.requests.filter((r) => !r.path.endsWith('/composite'))).to.have.length(1);
    expect(decodeURIComponent(e.requests[0].query)).to.match(/FROM Organization$/);
    expect(result.users.map((u) => u.username)).to.deep.equal(INTEGRATION_USERS);
    const byName = new Map(result.users.map((u) => [u.username, u]));
    expect(byName.get(at('legacy.etl'))?.legacy).to.equal(true);
    expect(byName.get(at('billing.sync'))).to.deep.include({ active: true, frozen: false, legacy: false });
    expect(byName.get(at('billing.sync'))?.permissionSets).to.include('Billing_Sync_Access');
    expect(byName.get(at('warehouse.sync'))?.frozen).to.equal(true);
    for (const user of result.users) if (user.lastLogin !== null) expect(user.lastLogin).to.equal(new Date(user.lastLogin).toISOString());
    expect(result.seats.integrationUserLicense).to.deep.equal({ total: 5, used: 4, available: 1 });
    expect(result.org).to.deep.include({ id: e.orgId, edition: 'Enterprise Edition', kind: 'production' });
    expect(ux.warn.called).to.equal(false);
  });

  it('renders a table with the legacy profile flagged and the frozen user, then the seat lines', async () => {
    await org();
    await IntegrationUserList.run(['--target-org', testOrg.username]);
    expect(ux.table.callCount).to.equal(1);
    const data = ux.table.firstCall.args[0].data as Array<Record<string, string>>;
    const row = (name: string): Record<string, string> | undefined => data.find((r) => r.username === at(name));
    expect(row('billing.sync')).to.include({ status: 'active', legacy: 'no' });
    expect(row('warehouse.sync')?.status).to.equal('frozen');
    expect(row('old.integration')?.status).to.equal('inactive');
    expect(row('legacy.etl')?.legacy).to.equal('yes');
    const lines = ux.log.args.flat();
    expect(lines).to.include('Salesforce Integration user licenses: 4 of 5 used, 1 available.');
    expect(lines.some((l) => /^Salesforce API Integration permission set licenses: \d+ of 5 used, \d+ available\.$/.test(String(l)))).to.equal(true);
  });

  it('says so when there are no integration users, instead of an empty table', async () => {
    const e = await org();
    const standardProfile = e.db.records('Profile').find((p) => p.Name === 'Standard User');
    for (const user of e.db.records('User').filter((u) => INTEGRATION_USERS.includes(String(u.Username)))) {
      e.db.update(user, { ProfileId: standardProfile?.Id });
    }
    e.db.commit();
    const result = await IntegrationUserList.run(['--target-org', testOrg.username]);
    expect(result.users).to.deep.equal([]);
    expect(ux.table.called).to.equal(false);
    expect(ux.log.args.flat()).to.include('No integration users in this org.');
  });

  it('warns, with the seat counts, when every integration seat is in use', async () => {
    await org({ integrationLicenses: 4 });
    const result = await IntegrationUserList.run(['--target-org', testOrg.username]);
    expect(result.seats.integrationUserLicense).to.deep.equal({ total: 4, used: 4, available: 0 });
    const warnings = ux.warn.args.flat().map(String);
    expect(warnings[0]).to.include('Every Salesforce Integration user license is in use (4 of 4)');
  });

  it('delegated-admin (no Manage Users): lists the same users with frozen "unknown" (null in JSON) and one warning', async () => {
    await org({ runningUser: 'delegated-admin' });
    const result = await IntegrationUserList.run(['--target-org', testOrg.username]);
    expect(result.users.map((u) => u.username)).to.deep.equal(INTEGRATION_USERS);
    expect(result.users.map((u) => u.frozen)).to.deep.equal(INTEGRATION_USERS.map(() => null));
    const data = ux.table.firstCall.args[0].data as Array<Record<string, string>>;
    expect(data.map((r) => r.status)).to.deep.equal(result.users.map((u) => (u.active ? 'active, frozen?' : 'inactive')));
    const warnings = ux.warn.args.flat().map(String);
    expect(warnings.filter((w) => w.includes('frozen state'))).to.have.length(1);
    expect(warnings.join('\n')).to.include('Reading UserLogin needs the Manage Users permission');
  });

  it('standard user (no View Setup): refuses, naming the permissions and what they are for', async () => {
    await org({ runningUser: 'standard' });
    const err = await failure();
    expect(err.name).to.equal('MissingRightsError');
    expect(err.message).to.include('needed to read which permission sets and groups users hold (PermissionSetAssignment)');
    expect(err.actions?.join('\n')).to.include('Ask a Salesforce admin');
    expect(ux.table.called).to.equal(false);
  });

  it('fails with a clear message on an edition without integration users', async () => {
    await org({ edition: 'Professional Edition' });
    const err = await failure();
    expect(err.name).to.equal('UnsupportedEditionError');
    expect(err.message).to.include('Professional Edition');
    expect(err.actions?.join('\n')).to.include('Enterprise');
  });
});
