import { expect } from 'chai';
import { RUNNING_USERNAMES, startEmulator, type Emulator, type RunningUserLevel } from '../index.js';
import { client, idOf, newUser, restError, V, type Client } from '../testClient.js';

const q = (soql: string): string => `${V}/query?q=${encodeURIComponent(soql)}`;
const RIGHTS = ['ManageUsers', 'ViewSetup', 'AssignPermissionSets', 'CustomizeApplication', 'MonitorLoginHistory', 'ModifyAllData'];

/** Each level: the rights it must hold (true) or lack (false), and which objects it reads. */
const EXPECTED: Record<RunningUserLevel, { rights: Record<string, boolean>; reads: string[]; hidden: string[] }> = {
  admin: {
    rights: { ManageUsers: true, ViewSetup: true, AssignPermissionSets: true, CustomizeApplication: true, MonitorLoginHistory: true, ModifyAllData: true },
    reads: ['UserLogin', 'PermissionSetAssignment', 'PermissionSetLicenseAssign', 'PermissionSet', 'PermissionSetGroup', 'PermissionSetGroupComponent', 'ObjectPermissions', 'UserLicense', 'PermissionSetLicense'],
    hidden: [],
  },
  'delegated-admin': {
    rights: { ManageUsers: false, ViewSetup: true, AssignPermissionSets: true, CustomizeApplication: false, MonitorLoginHistory: false, ModifyAllData: false },
    reads: ['PermissionSetAssignment', 'PermissionSetLicenseAssign', 'PermissionSet', 'PermissionSetGroup', 'PermissionSetGroupComponent', 'ObjectPermissions', 'UserLicense', 'PermissionSetLicense'],
    hidden: ['UserLogin'],
  },
  auditor: {
    rights: { ManageUsers: false, ViewSetup: true, AssignPermissionSets: false, CustomizeApplication: false, MonitorLoginHistory: false, ModifyAllData: false },
    reads: ['PermissionSetAssignment', 'PermissionSetLicenseAssign', 'PermissionSet', 'PermissionSetGroup', 'PermissionSetGroupComponent', 'ObjectPermissions', 'UserLicense', 'PermissionSetLicense'],
    hidden: ['UserLogin'],
  },
  standard: {
    rights: { ManageUsers: false, ViewSetup: false, AssignPermissionSets: false, CustomizeApplication: false, MonitorLoginHistory: false, ModifyAllData: false },
    reads: [],
    hidden: ['UserLogin', 'PermissionSetAssignment', 'PermissionSetLicenseAssign', 'PermissionSet', 'PermissionSetGroup', 'PermissionSetGroupComponent', 'ObjectPermissions', 'UserLicense', 'PermissionSetLicense'],
  },
};

for (const level of Object.keys(EXPECTED) as RunningUserLevel[]) {
  describe(`org emulator: running user ${level}`, () => {
    let emu: Emulator;
    let api: Client;
    before(async () => {
      emu = await startEmulator({ runningUser: level });
      api = client(emu);
    });
    after(() => emu.close());

    it(`logs in as ${RUNNING_USERNAMES[level]}`, async () => {
      expect(emu.username).to.equal(RUNNING_USERNAMES[level]);
      expect((await api.get('/services/oauth2/userinfo')).body).to.include({ preferred_username: RUNNING_USERNAMES[level] });
    });

    it('UserPermissionAccess: one row with exactly its rights, also through FIELDS(STANDARD)', async () => {
      const fields = RIGHTS.map((r) => `Permissions${r}`);
      const result = await api.query(`SELECT ${fields.join(', ')} FROM UserPermissionAccess`);
      expect(result.totalSize).to.equal(1);
      const row = result.records[0];
      expect(row.attributes).to.deep.include({ type: 'UserPermissionAccess' });
      for (const right of RIGHTS) expect(row[`Permissions${right}`], right).to.equal(EXPECTED[level].rights[right]);
      const all = (await api.query('SELECT FIELDS(STANDARD) FROM UserPermissionAccess')).records[0];
      for (const right of RIGHTS) expect(all[`Permissions${right}`], right).to.equal(EXPECTED[level].rights[right]);
      expect(all).to.have.property('LastCacheUpdate');
      expect((await api.query('SELECT Id FROM UserPermissionAccess WHERE PermissionsApiEnabled = true')).totalSize).to.equal(1);
    });

    it('reads the objects its rights allow; the others are unknown objects (INVALID_TYPE)', async () => {
      for (const object of EXPECTED[level].reads) expect((await api.query(`SELECT Id FROM ${object}`)).totalSize, object).to.be.greaterThan(0);
      for (const object of EXPECTED[level].hidden) {
        const soql = `SELECT Id FROM ${object}`;
        const reply = await api.get(q(soql));
        expect(reply.status, object).to.equal(400);
        expect(restError(reply)).to.deep.equal({
          errorCode: 'INVALID_TYPE',
          message: `\n${soql}\n${' '.repeat(15)}^\nERROR at Row:1:Column:16\nsObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        });
        expect((await api.get(`${V}/sobjects/${object}/describe`)).status, object).to.equal(404);
      }
    });

    it('LoginHistory and OauthToken: other users\' rows only with the documented rights', async () => {
      const logins = await api.query('SELECT UserId FROM LoginHistory');
      const loginUsers = new Set(logins.records.map((r) => r.UserId));
      const tokens = await api.query('SELECT UserId FROM OauthToken');
      if (EXPECTED[level].rights.ManageUsers || EXPECTED[level].rights.MonitorLoginHistory) expect(loginUsers.size).to.be.greaterThan(1);
      else expect([...loginUsers].every((u) => u === idOf(emu, 'User', 'Username', emu.username))).to.equal(true);
      if (EXPECTED[level].rights.CustomizeApplication) expect(tokens.totalSize).to.be.greaterThan(0);
      else expect(tokens.totalSize).to.equal(0);
    });

    it('child and parent relationships into hidden objects fail like unknown ones', async () => {
      const child = await api.get(q('SELECT Id, (SELECT Id FROM PermissionSetAssignments) FROM User'));
      const parent = await api.get(q('SELECT Id, Profile.UserLicense.Name FROM User'));
      if (EXPECTED[level].hidden.includes('PermissionSetAssignment')) {
        expect(restError(child).errorCode).to.equal('INVALID_TYPE');
        expect(restError(parent).message).to.match(/No such column 'UserLicense' on entity 'Profile'\./);
      } else {
        expect(child.status).to.equal(200);
        expect(parent.status).to.equal(200);
      }
    });

    it('writes follow the rights: User / UserLogin need Manage Users, PSA needs Assign Permission Sets, PSLA Manage Users', async () => {
      const rights = EXPECTED[level].rights;
      const denied = { errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id' };
      const profile = idOf(emu, 'Profile', 'Name', 'Minimum Access - API Only Integrations');
      const user = await api.post(`${V}/sobjects/User`, newUser({}, profile));
      if (rights.ManageUsers) expect(user.status).to.equal(201);
      else expect([user.status, restError(user)]).to.deep.equal([400, denied]);

      const login = emu.db.records('UserLogin')[1];
      const freeze = await api.patch(`${V}/sobjects/UserLogin/${login.Id}`, { IsFrozen: true });
      if (rights.ManageUsers) expect(freeze.status).to.equal(204);
      else expect([freeze.status, restError(freeze)]).to.deep.equal([400, denied]);

      const assignee = idOf(emu, 'User', 'Username', 'priya.patel@acme.example.com');
      const set = idOf(emu, 'PermissionSet', 'Name', 'Marketing_Shared');
      const before = emu.db.records('PermissionSetAssignment').length;
      const psa = await api.post(`${V}/sobjects/PermissionSetAssignment`, { AssigneeId: assignee, PermissionSetId: set });
      if (rights.AssignPermissionSets) expect(psa.status, JSON.stringify(psa.body)).to.equal(201);
      else {
        expect([psa.status, restError(psa)]).to.deep.equal([400, denied]);
        expect(emu.db.records('PermissionSetAssignment').length).to.equal(before);
      }

      const psl = idOf(emu, 'PermissionSetLicense', 'DeveloperName', 'SalesforceCPQ_CPQStandardPerm');
      const psla = await api.post(`${V}/sobjects/PermissionSetLicenseAssign`, { AssigneeId: assignee, PermissionSetLicenseId: psl });
      if (rights.ManageUsers) expect(psla.status, JSON.stringify(psla.body)).to.equal(201);
      else expect([psla.status, restError(psla)]).to.deep.equal([400, denied]);
    });
  });
}

describe('org emulator: running user rights are live', () => {
  it('an auditor given Assign Permission Sets through a new assignment can then assign', async () => {
    const emu = await startEmulator({ runningUser: 'auditor' });
    try {
      const api = client(emu);
      const me = idOf(emu, 'User', 'Username', emu.username);
      const before = (await api.query('SELECT PermissionsAssignPermissionSets FROM UserPermissionAccess')).records[0];
      expect(before.PermissionsAssignPermissionSets).to.equal(false);
      const delegated = emu.db.records('PermissionSet').find((s) => s.Name === 'Integration_Admin_Danger');
      emu.db.insert('PermissionSetAssignment', { AssigneeId: me, PermissionSetId: delegated?.Id, PermissionSetGroupId: null, IsActive: true });
      emu.db.commit();
      const after = (await api.query('SELECT PermissionsManageUsers FROM UserPermissionAccess')).records[0];
      expect(after.PermissionsManageUsers).to.equal(true);
      expect((await api.query('SELECT Id FROM UserLogin')).totalSize).to.be.greaterThan(0);
    } finally {
      await emu.close();
    }
  });

  it('rejects an unknown level', async () => {
    let error: unknown;
    try {
      await startEmulator({ runningUser: 'root' as RunningUserLevel });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/runningUser must be one of admin, delegated-admin, auditor, standard/);
  });
});
