import { expect } from 'chai';
import IntegrationUserDisplay, { type IntegrationUserDisplayResult } from '../../../../src/commands/integration/user/display.js';
import { sameId } from '../../../../src/shared/model/ids.js';
import { commandAgainstEmulator } from '../../../helpers/commandOrg.js';

const at = (name: string): string => `${name}@acme.example.com`;

describe('integration user display (command, org emulator in process)', () => {
  const { testOrg, org, ux: currentUx } = commandAgainstEmulator();
  let ux: ReturnType<typeof currentUx>;
  beforeEach(() => {
    ux = currentUx();
  });

  const run = async (user: string): Promise<IntegrationUserDisplayResult> => IntegrationUserDisplay.run(['--target-org', testOrg.username, '--user', user]);

  it('every field and grant of one user, as the org holds them, in at most 2 composite requests', async () => {
    const e = await org();
    const result = await run(at('billing.sync'));
    expect(e.requests.filter((r) => r.path.endsWith('/composite')).length).to.be.at.most(2);
    const record = e.db.records('User').find((u) => u.Username === at('billing.sync'))!;
    expect(result).to.deep.include({
      id: record.Id,
      username: at('billing.sync'),
      name: record.Name,
      firstName: record.FirstName ?? null,
      lastName: record.LastName,
      alias: record.Alias,
      email: record.Email,
      active: true,
      frozen: false,
      integrationLicense: true,
      legacy: false,
      notIntegrationUser: false,
      timeZone: record.TimeZoneSidKey,
      locale: record.LocaleSidKey,
      language: record.LanguageLocaleKey,
      emailEncoding: record.EmailEncodingKey,
      userLicense: 'Salesforce Integration',
    });
    const assignments = e.db.records('PermissionSetAssignment').filter((a) => sameId(String(a.AssigneeId), String(record.Id)));
    const sets = e.db.records('PermissionSet');
    const direct = assignments.filter((a) => {
      const set = sets.find((s) => sameId(String(s.Id), String(a.PermissionSetId)));
      return !a.PermissionSetGroupId && set?.IsOwnedByProfile !== true;
    });
    expect(result.permissionSets.map((g) => g.assignmentId).sort()).to.deep.equal(direct.map((a) => String(a.Id)).sort());
    expect(result.permissionSets.map((g) => g.name)).to.include('Billing_Sync_Access');
    for (const grant of [...result.permissionSets, ...result.permissionSetLicenses, ...result.permissionSetGroups]) {
      expect(grant.id).to.have.length(18);
      expect(grant.label).to.be.a('string').and.not.equal('');
    }
    const pslAssignments = e.db.records('PermissionSetLicenseAssign').filter((a) => sameId(String(a.AssigneeId), String(record.Id)));
    expect(result.permissionSetLicenses.map((g) => g.assignmentId).sort()).to.deep.equal(pslAssignments.map((a) => String(a.Id)).sort());
    expect(ux.warn.called).to.equal(false);
  });

  it('renders the user table and the grants table (kind, API name, label, Id)', async () => {
    await org();
    const result = await run(at('billing.sync'));
    expect(ux.table.callCount).to.equal(2);
    const fields = ux.table.firstCall.args[0].data as Array<{ field: string; value: string }>;
    expect(fields).to.deep.include({ field: 'Username', value: at('billing.sync') });
    expect(fields).to.deep.include({ field: 'Status', value: 'active' });
    const grants = ux.table.secondCall.args[0].data as Array<Record<string, string>>;
    expect(grants.map((g) => g.name).sort()).to.deep.equal(
      [...result.permissionSetLicenses, ...result.permissionSetGroups, ...result.permissionSets].map((g) => g.name).sort()
    );
  });

  it('matches the username case-insensitively, as Salesforce does', async () => {
    await org();
    const result = await run(at('billing.sync').toUpperCase());
    expect(result.username).to.equal(at('billing.sync'));
  });

  it('the legacy profile and a frozen user are shown as such', async () => {
    await org();
    expect(await run(at('legacy.etl'))).to.deep.include({ legacy: true, notIntegrationUser: false });
    expect((await run(at('warehouse.sync'))).frozen).to.equal(true);
  });

  it('a user that is not an integration user: shown, flagged, with one warning', async () => {
    await org();
    const result = await run(at('john.smith'));
    expect(result.notIntegrationUser).to.equal(true);
    const warnings = ux.warn.args.flat().map(String);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include('is not an integration user');
  });

  it('delegated-admin (no Manage Users): frozen null (unknown) and one warning', async () => {
    await org({ runningUser: 'delegated-admin' });
    const result = await run(at('billing.sync'));
    expect(result.frozen).to.equal(null);
    expect(ux.warn.args.flat().map(String).filter((w) => w.includes('frozen state'))).to.have.length(1);
  });

  it('an unknown username: UserNotFound, exit 1, says how to find the right one', async () => {
    await org();
    const err = (await run(at('nobody')).then(
      () => undefined,
      (e: unknown) => e
    )) as { name: string; message: string; actions?: string[]; exitCode?: number } | undefined;
    expect(err).to.be.instanceOf(Error);
    expect(err?.name).to.equal('UserNotFound');
    expect(err?.exitCode).to.equal(1);
    expect(err?.message).to.include(at('nobody'));
    expect(err?.actions?.join(' ')).to.include('sf integration user list');
  });
});
