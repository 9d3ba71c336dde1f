/** The grant writes against the in-process org emulator: requests made (its log) and what the org holds afterwards. */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { connectTo } from '../../helpers/connection.js';
import { writeAssignments, writeNewUser, type NewUserWrite } from '../../../src/shared/grants/write.js';
import type { ResolvedGrant } from '../../../src/shared/grants/types.js';

const at = (name: string): string => `${name}@acme.example.com`;

function grantOf(emu: Emulator, type: ResolvedGrant['type'], name: string): ResolvedGrant {
  const [object, field] =
    type === 'permissionSetLicense' ? ['PermissionSetLicense', 'DeveloperName'] : type === 'permissionSet' ? ['PermissionSet', 'Name'] : ['PermissionSetGroup', 'DeveloperName'];
  const record = emu.db.records(object).find((r) => r[field] === name);
  if (!record) throw new Error(`no ${object} ${name}`);
  return { type, id: record.Id, name, label: name };
}

const userOf = (emu: Emulator, username: string) => emu.db.records('User').find((u) => String(u.Username).toLowerCase() === username);
const userIdOf = (emu: Emulator, username: string): string => String(userOf(emu, username)?.Id);

function held(emu: Emulator, userId: string): string[] {
  const names = (type: string, id: unknown, f: string): string => String(emu.db.records(type).find((r) => r.Id === id)?.[f]);
  return [
    ...emu.db.records('PermissionSetLicenseAssign').filter((a) => a.AssigneeId === userId).map((a) => `psl:${names('PermissionSetLicense', a.PermissionSetLicenseId, 'DeveloperName')}`),
    ...emu.db
      .records('PermissionSetAssignment')
      .filter((a) => a.AssigneeId === userId)
      .map((a) =>
        a.PermissionSetGroupId ? `group:${names('PermissionSetGroup', a.PermissionSetGroupId, 'DeveloperName')}` : `set:${names('PermissionSet', a.PermissionSetId, 'Name')}`
      )
  ]
    .filter((g) => !emu.db.records('PermissionSet').some((p) => p.IsOwnedByProfile === true && g === `set:${String(p.Name)}`))
    .sort();
}

describe('grants: writes (emulator)', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let conn: Connection;
  const start = async (options: EmulatorOptions = {}): Promise<void> => {
    emu = await startEmulator({ integrationLicenses: 10, ...options });
    conn = await connectTo(emu, '66.0');
  };
  afterEach(async () => emu?.close());

  const newUser = (username: string): NewUserWrite => {
    const profile = emu.db.records('Profile').find((p) => p.Name === 'Minimum Access - API Only Integrations');
    return {
      fields: {
        Username: username,
        LastName: 'New',
        Email: 'it@acme.example.com',
        Alias: 'new',
        TimeZoneSidKey: 'America/Los_Angeles',
        LocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        ProfileId: profile?.Id,
      },
      grants: [grantOf(emu, 'permissionSetLicense', 'SalesforceAPIIntegrationPsl'), grantOf(emu, 'permissionSet', 'Billing_Sync_Access'), grantOf(emu, 'permissionSetGroup', 'Integration_Bundle')],
      usernameSuggestion: username.replace('@', '.prod@'),
    };
  };

  describe('writeNewUser', () => {
    it('writes the user and its grants in one all-or-nothing composite request', async () => {
      await start();
      emu.resetRequestLog();
      const result = await writeNewUser(conn, newUser(at('new.one')));
      expect(result).to.include({ mode: 'composite', writeRequests: 1 });
      expect(emu.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /services/data/v66.0/composite']);
      expect(held(emu, result.userId)).to.deep.equal(['group:Integration_Bundle', 'psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);
    });

    it('names the failing grant when the composite is rolled back, and nothing is in the org', async () => {
      await start();
      emu.setFaults({ failNthWrite: 3 });
      const err = await writeNewUser(conn, newUser(at('new.two'))).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.match(/^Nothing was written: creating new\.two@acme\.example\.com failed on Billing_Sync_Access \(UNKNOWN_EXCEPTION/);
      expect(userOf(emu, at('new.two'))).to.equal(undefined);
    });

    it('suggests --username on DUPLICATE_USERNAME', async () => {
      await start();
      const err = await writeNewUser(conn, newUser('taken@elsewhere.example.com')).then(() => undefined, (e: Error & { actions?: string[] }) => e);
      expect(err?.name).to.equal('DuplicateUsernameError');
      expect(err?.actions).to.deep.equal(['Choose another username with --username, for example --username taken.prod@elsewhere.example.com.']);
    });

    it('falls back on MIXED_DML_OPERATION: the user, then PSLs, then sets and groups, each all-or-nothing', async () => {
      await start({ mixedDml: 'reject' });
      emu.resetRequestLog();
      const result = await writeNewUser(conn, newUser(at('new.three')));
      expect(result).to.include({ mode: 'separate', writeRequests: 4 });
      expect(emu.requests.map((r) => `${r.method} ${r.path.replace('/services/data/v66.0/', '')}`)).to.deep.equal([
        'POST composite',
        'POST composite',
        'POST composite/sobjects',
        'POST composite/sobjects',
      ]);
      expect(held(emu, result.userId)).to.deep.equal(['group:Integration_Bundle', 'psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);
    });

    it('deactivates the new user when the separate assignments fail, and says what is left', async () => {
      await start({ mixedDml: 'reject' });
      // Writes: 1 the refused composite's user, 2 the user, 3 its PSL, 4 its set (made to fail).
      emu.setFaults({ failNthWrite: 4 });
      const err = await writeNewUser(conn, newUser(at('new.four'))).then(() => undefined, (e: Error) => e);
      expect(err?.name).to.equal('AssignmentsFailedUserDeactivatedError');
      expect(err?.message).to.include('Assigned before the failure: SalesforceAPIIntegrationPsl. Not assigned: Billing_Sync_Access, Integration_Bundle. The user was deactivated');
      expect(userOf(emu, at('new.four'))?.IsActive).to.equal(false);
    });
  });

  describe('writeAssignments', () => {
    it('one user: one all-or-nothing composite; a grant assigned meanwhile is dropped and the rest sent again', async () => {
      await start();
      const userId = userIdOf(emu, at('warehouse.sync'));
      const psl = grantOf(emu, 'permissionSetLicense', 'SalesforceAPIIntegrationPsl');
      const marketing = grantOf(emu, 'permissionSet', 'Marketing_Shared');
      const reader = grantOf(emu, 'permissionSet', 'Integration_Reader');
      emu.db.insert('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: marketing.id });
      emu.db.commit();
      emu.resetRequestLog();
      const { outcomes, writeRequests } = await writeAssignments(conn, [{ userId, username: at('warehouse.sync'), grants: [psl, marketing, reader] }]);
      expect(writeRequests).to.equal(2);
      expect(emu.requests).to.have.length(2);
      expect(outcomes[0].added.map((g) => g.name)).to.deep.equal(['SalesforceAPIIntegrationPsl', 'Integration_Reader']);
      expect(outcomes[0].duplicates.map((g) => g.name)).to.deep.equal(['Marketing_Shared']);
      expect(held(emu, userId)).to.include.members(['psl:SalesforceAPIIntegrationPsl', 'set:Integration_Reader', 'set:Marketing_Shared']);
    });

    it('several users: PSLs first for all, then the sets of the users whose PSL succeeded', async () => {
      await start();
      const cpq = grantOf(emu, 'permissionSetLicense', 'SalesforceCPQ_CPQStandardPerm');
      const set = grantOf(emu, 'permissionSet', 'Integration_Reader');
      const users = ['billing.sync', 'shared.connector', 'legacy.etl'].map((n) => ({ userId: userIdOf(emu, at(n)), username: at(n), grants: [cpq, set] }));
      emu.setFaults({ failNthWrite: 2 });
      emu.resetRequestLog();
      const { outcomes, writeRequests } = await writeAssignments(conn, users);
      expect(writeRequests).to.equal(2);
      expect(outcomes.map((o) => [o.username, o.added.length, o.failed.length, o.notWritten.length])).to.deep.equal([
        [at('billing.sync'), 2, 0, 0],
        [at('shared.connector'), 0, 1, 1],
        [at('legacy.etl'), 2, 0, 0],
      ]);
      expect(held(emu, users[1].userId)).to.not.include('set:Integration_Reader');
      expect(held(emu, users[2].userId)).to.include.members(['psl:SalesforceCPQ_CPQStandardPerm', 'set:Integration_Reader']);
    });

    it('splits more than 200 assignments into collections of 200', async () => {
      await start({ seed: { scale: 400 } });
      const profile = emu.db.records('Profile').find((p) => p.Name === 'Minimum Access - API Only Integrations');
      const targets = emu.db
        .records('User')
        .filter((u) => u.IsActive === true && u.ProfileId === profile?.Id)
        .slice(0, 60);
      expect(targets).to.have.length(60);
      const sets = ['Marketing_Shared', 'Integration_Reader', 'API_Only_User'].map((n) => grantOf(emu, 'permissionSet', n));
      emu.resetRequestLog();
      const { writeRequests, outcomes } = await writeAssignments(
        conn,
        targets.map((u) => ({ userId: u.Id, username: String(u.Username), grants: sets }))
      );
      // 180 set assignments: one collection; none are PSLs.
      expect(writeRequests).to.equal(1);
      // Every record got its own answer (some users lack the API PSL these sets need: item errors).
      expect(outcomes.every((o) => o.added.length + o.duplicates.length + o.failed.length === 3)).to.equal(true);
      const four = ['Billing_Sync_Access', 'Data_Steward_ViewAll', 'Account_Modify_All', 'CPQ_Extras'].map((n) => grantOf(emu, 'permissionSet', n));
      const more = await writeAssignments(conn, targets.map((u) => ({ userId: u.Id, username: String(u.Username), grants: four })));
      expect(more.writeRequests, '240 records → 200 + 40').to.equal(2);
    });
  });
});
