import { expect } from 'chai';
import { SfError, type Connection } from '@salesforce/core';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { connectTo } from '../helpers/connection.js';
import { orgRead } from '../../src/shared/org.js';
import { readParts } from '../../src/shared/read.js';
import {
  type CommandNeeds,
  type Operation,
  type RunningUserRights,
  assertRights,
  COMMAND_NEEDS,
  missingRights,
  missingRightsError,
  needsOf,
  rightsFromRow,
  rightsOf,
  rightsRead,
  uncertainRights,
  uncertainRightsWarning,
  RIGHTS_QUERY,
} from '../../src/shared/rights.js';

describe('rights (unit)', () => {
  it('reads each right from its UserPermissionAccess field; an absent field is unknown', () => {
    const rights = rightsFromRow({ Id: '000', PermissionsViewSetup: true, PermissionsManageUsers: false });
    expect(rights.known).to.equal(true);
    expect(rights.state('ViewSetup')).to.equal(true);
    expect(rights.state('ManageUsers')).to.equal(false);
    expect(rights.state('MonitorLoginHistory')).to.equal(null);
    expect(rights.has('MonitorLoginHistory')).to.equal(false);
  });

  it('an operation is allowed by any one of its rights, refused only when all are known off, else uncertain', () => {
    const rights = rightsFromRow({ PermissionsViewSetup: false, PermissionsAssignPermissionSets: true, PermissionsManageUsers: false });
    expect(rights.canState('read:PermissionSetAssignment')).to.equal(true);
    expect(rights.canState('read:UserLogin')).to.equal(false);
    // LoginHistory of others: Manage Users (off) or Monitor Login History (absent) → can't tell
    expect(rights.canState('read:LoginHistory:others')).to.equal(null);
    expect(missingRights(rights, ['read:UserLogin', 'read:LoginHistory:others', 'read:PermissionSetAssignment']).map((m) => m.operation)).to.deep.equal([
      'read:UserLogin',
    ]);
    expect(uncertainRights(rights, ['read:UserLogin', 'read:LoginHistory:others']).map((m) => m.operation)).to.deep.equal([
      'read:LoginHistory:others',
    ]);
  });

  it('an unreadable UserPermissionAccess makes every right unknown: nothing is refused, everything is uncertain', () => {
    const rights = rightsFromRow(undefined);
    expect(rights.known).to.equal(false);
    expect(missingRights(rights, COMMAND_NEEDS.create.required)).to.deep.equal([]);
    expect(uncertainRights(rights, COMMAND_NEEDS.create.required)).to.have.length(COMMAND_NEEDS.create.required.length);
    expect(uncertainRightsWarning(uncertainRights(rights, ['read:UserLogin']))).to.contain('Manage Users: needed to read which users are frozen');
    expect(uncertainRightsWarning([])).to.equal('');
  });

  it('names every missing permission and what it is for in one error, with the action', () => {
    const missing = missingRights(rightsOf(['ViewSetup', 'AssignPermissionSets']), needsOf('create').required);
    expect(missing.map((m) => m.operation)).to.deep.equal(['write:User', 'write:PermissionSetLicenseAssign']);
    const error = missingRightsError(missing, 'admin@acme.example.com');
    expect(error).to.be.instanceOf(SfError);
    expect(error.name).to.equal('MissingRightsError');
    expect(error.exitCode).to.equal(1);
    expect(error.message).to.contain('admin@acme.example.com lacks permissions');
    expect(error.message).to.contain('- Manage Users or Manage Internal Users: needed to create or update a user (User).');
    expect(error.message).to.contain('- Manage Users: needed to assign permission set licenses (PermissionSetLicenseAssign).');
    expect(error.actions).to.have.length(1);
    expect(error.actions?.[0]).to.contain('assign you a permission set with Manage Users (Setup > Permission Sets)');
    expect(error.data).to.deep.equal({
      missingRights: missing.map(({ operation, anyOf, purpose }) => ({ operation, anyOf, purpose })),
    });
  });

  it('needsOf narrows create/assign writes to what the run grants', () => {
    expect(needsOf('assign', { permissionSets: true, permissionSetLicenses: false }).required).to.not.include('write:PermissionSetLicenseAssign');
    expect(needsOf('assign', { permissionSets: true, permissionSetLicenses: false }).required).to.include('write:PermissionSetAssignment');
    expect(needsOf('assign', { permissionSets: false, permissionSetLicenses: true }).required).to.not.include('write:PermissionSetAssignment');
    expect(needsOf('list')).to.equal(COMMAND_NEEDS.list);
    expect(missingRights(rightsOf(['ViewSetup', 'AssignPermissionSets']), needsOf('assign', { permissionSets: true, permissionSetLicenses: false }).required)).to.deep.equal([]);
    expect(missingRights(rightsOf(['ViewSetup']), needsOf('list').required)).to.deep.equal([]);
    expect(missingRights(rightsOf([]), needsOf('list').required).map((m) => m.operation)).to.deep.equal([
      'read:PermissionSetAssignment',
      'read:PermissionSetLicenseAssign',
    ]);
  });

  it('rightsRead is one optional query; given needs, its assembly refuses', () => {
    const part = rightsRead(needsOf('create'));
    expect(part.queries).to.deep.equal([RIGHTS_QUERY]);
    expect(part.optional).to.deep.equal([0]);
    expect(() => part.assemble([[{ PermissionsManageUsers: false, PermissionsManageInternalUsers: false }]], [undefined])).to.throw(
      /Manage Users or Manage Internal Users: needed to create/
    );
    // a failed rights query → unknown → no refusal
    expect(part.assemble([[]], [{ errorCode: 'INVALID_TYPE', message: 'nope' }]).known).to.equal(false);
  });

  it('refuseOnReads: a missing read refuses naming the writes too; a missing write alone waits for the plan', () => {
    const part = rightsRead(needsOf('create'), { runningUsername: 'std@acme.example.com', refuseOnReads: true });
    const none = [{ ...Object.fromEntries(Object.keys(rightsOf([]).summary()).map((r) => [`Permissions${r}`, false])) }];
    const error = (() => {
      try {
        part.assemble([none], [undefined]);
        return undefined;
      } catch (e) {
        return e as SfError;
      }
    })();
    expect(error?.name).to.equal('MissingRightsError');
    expect(error?.message).to.match(/^std@acme\.example\.com lacks permissions this command needs, so it stopped before writing anything/);
    for (const purpose of ['to read which permission sets and groups users hold', 'to create or update a user', 'to assign permission set licenses', 'to assign permission sets and permission set groups']) {
      expect(error?.message).to.contain(purpose);
    }
    // delegated admin: every read allowed, writes missing → no refusal yet (the command checks its exact writes)
    const delegated = [{ PermissionsViewSetup: true, PermissionsAssignPermissionSets: true, PermissionsManageUsers: false, PermissionsManageInternalUsers: false }];
    expect(part.assemble([delegated], [undefined]).has('ViewSetup')).to.equal(true);
    expect(() => assertRights(rightsOf(['ViewSetup', 'AssignPermissionSets']), needsOf('create').required, 'd@acme.example.com')).to.throw(
      /d@acme\.example\.com lacks[\s\S]*create or update a user[\s\S]*assign permission set licenses/
    );
  });

  it('a read-only refusal does not speak of writing; the connection names the running user', () => {
    const part = rightsRead(needsOf('list'));
    const run = (context?: { runningUsername?: string }): string => {
      try {
        part.assemble([[{ PermissionsViewSetup: false, PermissionsAssignPermissionSets: false, PermissionsManageUsers: false }]], [undefined], context);
        return '';
      } catch (e) {
        return (e as SfError).message;
      }
    };
    expect(run({ runningUsername: 'std@acme.example.com' })).to.match(/^std@acme\.example\.com lacks permissions this command needs to read the org, so it stopped:/);
    expect(run()).to.not.contain('writ');
    expect(missingRightsError(missingRights(rightsOf([]), ['read:UserLogin']), 'a@b.c').message).to.not.contain('writ');
    expect(missingRightsError(missingRights(rightsOf([]), ['read:UserLogin']), 'a@b.c', true).message).to.contain('before writing anything');
  });

  it('needsOf: create converging an existing user without touching its record needs no User write', () => {
    expect(needsOf('create', { permissionSets: true, permissionSetLicenses: false, userRecord: false }).required).to.not.include('write:User');
    expect(needsOf('create', { permissionSets: true, permissionSetLicenses: false }).required).to.include('write:User');
  });
});

describe('rights (emulator, each running user level)', function () {
  this.timeout(60_000);
  const emulators: Emulator[] = [];
  async function connect(options: EmulatorOptions): Promise<{ emu: Emulator; conn: Connection }> {
    const emu = await startEmulator({ seed: 'default', ...options });
    emulators.push(emu);
    return { emu, conn: await connectTo(emu, '62.0') };
  }
  async function rightsAs(runningUser: EmulatorOptions['runningUser'], absentFields?: string[]): Promise<{ rights: RunningUserRights; requests: number }> {
    const { emu, conn } = await connect({ runningUser, absentFields });
    emu.resetRequestLog();
    const [rights] = await readParts(conn, [rightsRead(), orgRead()] as const);
    return { rights, requests: emu.requests.length };
  }
  after(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });

  const missingOps = (rights: RunningUserRights, needs: CommandNeeds): Operation[] => missingRights(rights, needs.required).map((m) => m.operation);

  it('admin: holds everything the commands need; the rights ride in the first round trip (no extra request)', async () => {
    const { rights, requests } = await rightsAs('admin');
    expect(requests).to.equal(1);
    expect(rights.known).to.equal(true);
    for (const right of ['ManageUsers', 'ViewSetup', 'AssignPermissionSets', 'CustomizeApplication', 'MonitorLoginHistory'] as const) {
      expect(rights.state(right), right).to.equal(true);
    }
    for (const command of Object.keys(COMMAND_NEEDS) as Array<keyof typeof COMMAND_NEEDS>) {
      expect(missingOps(rights, COMMAND_NEEDS[command]), command).to.deep.equal([]);
      expect(missingRights(rights, COMMAND_NEEDS[command].optional), command).to.deep.equal([]);
    }
  });

  it('delegated-admin (Assign Permission Sets + View Setup): may assign sets, not create users or assign PSLs, not read UserLogin', async () => {
    const { rights } = await rightsAs('delegated-admin');
    expect(rights.summary()).to.deep.include({ ManageUsers: false, ViewSetup: true, AssignPermissionSets: true, MonitorLoginHistory: false, CustomizeApplication: false });
    expect(missingOps(rights, needsOf('create'))).to.deep.equal(['write:User', 'write:PermissionSetLicenseAssign']);
    expect(missingOps(rights, needsOf('assign', { permissionSets: true, permissionSetLicenses: false }))).to.deep.equal([]);
    expect(missingOps(rights, needsOf('assign', { permissionSets: true, permissionSetLicenses: true }))).to.deep.equal(['write:PermissionSetLicenseAssign']);
    expect(missingOps(rights, needsOf('list'))).to.deep.equal([]);
    expect(missingRights(rights, needsOf('audit').optional).map((m) => m.operation)).to.deep.equal([
      'read:UserLogin',
      'read:LoginHistory:others',
      'read:OauthToken:others',
    ]);
  });

  it('auditor (View Setup only): reads everything but UserLogin, other users\' logins and tokens; may write nothing', async () => {
    const { rights } = await rightsAs('auditor');
    expect(rights.summary()).to.deep.include({ ManageUsers: false, ViewSetup: true, AssignPermissionSets: false });
    expect(missingOps(rights, needsOf('create'))).to.deep.equal(['write:User', 'write:PermissionSetLicenseAssign', 'write:PermissionSetAssignment']);
    expect(missingOps(rights, needsOf('assign', { permissionSets: true, permissionSetLicenses: false }))).to.deep.equal(['write:PermissionSetAssignment']);
    expect(missingOps(rights, needsOf('list'))).to.deep.equal([]);
    expect(missingRights(rights, needsOf('audit').optional).map((m) => m.operation)).to.deep.equal([
      'read:UserLogin',
      'read:LoginHistory:others',
      'read:OauthToken:others',
    ]);
  });

  it('standard (none of them): refused for list, create and assign; the audit can read none of its setup objects', async () => {
    const { rights } = await rightsAs('standard');
    expect(rights.summary()).to.deep.include({ ManageUsers: false, ViewSetup: false, AssignPermissionSets: false });
    expect(missingOps(rights, needsOf('list'))).to.deep.equal(['read:PermissionSetAssignment', 'read:PermissionSetLicenseAssign']);
    expect(missingOps(rights, needsOf('create'))).to.have.length(needsOf('create').required.length);
    expect(missingRights(rights, needsOf('audit').optional)).to.have.length(needsOf('audit').optional.length);
  });

  it('a refusal in the first read wins over the raw error of a query the missing right would have allowed', async () => {
    const { emu, conn } = await connect({ runningUser: 'standard' });
    emu.resetRequestLog();
    const error = await readParts(conn, [rightsRead(needsOf('list')), { queries: ['SELECT Id FROM PermissionSetAssignment'], assemble: () => 0 }] as const).then(
      () => undefined,
      (e: unknown) => e as SfError
    );
    expect(error?.name).to.equal('MissingRightsError');
    expect(error?.message).to.contain('View Setup and Configuration, Assign Permission Sets or Manage Users: needed to read which permission sets and groups users hold');
    // readParts tells the part who runs: the refusal names the connection's username, not "The running user"
    expect(conn.getUsername()).to.match(/@/);
    expect(error?.message.startsWith(`${conn.getUsername() ?? '?'} lacks permissions`), error?.message).to.equal(true);
    expect(emu.requests).to.have.length(1);
    // without needs, the same read fails with the org's own error
    const raw = await readParts(conn, [rightsRead(), { queries: ['SELECT Id FROM PermissionSetAssignment'], assemble: () => 0 }] as const).then(
      () => undefined,
      (e: unknown) => e as SfError
    );
    expect(raw?.name).to.equal('RequestFailedError');
  });

  it('an org whose UserPermissionAccess lacks a permission field: that right is unknown, never a refusal', async () => {
    const { rights } = await rightsAs('delegated-admin', ['UserPermissionAccess.PermissionsManageUsers']);
    expect(rights.state('ManageUsers')).to.equal(null);
    expect(rights.state('ViewSetup')).to.equal(true);
    // write:User = Manage Users (unknown) or Manage Internal Users (off) → can't tell
    expect(rights.canState('write:User')).to.equal(null);
    expect(missingOps(rights, needsOf('create'))).to.deep.equal([]);
    expect(uncertainRights(rights, needsOf('create').required).map((m) => m.operation)).to.deep.equal(['write:User', 'write:PermissionSetLicenseAssign']);
  });
});

describe('rights agree with what each running user can read in the emulator', function () {
  this.timeout(60_000);
  const objectOf: Partial<Record<Operation, string>> = {
    'read:UserLogin': 'UserLogin',
    'read:PermissionSetAssignment': 'PermissionSetAssignment',
    'read:PermissionSetLicenseAssign': 'PermissionSetLicenseAssign',
    'read:PermissionSet': 'PermissionSet',
    'read:PermissionSetGroup': 'PermissionSetGroup',
    'read:PermissionSetGroupComponent': 'PermissionSetGroupComponent',
    'read:ObjectPermissions': 'ObjectPermissions',
  };
  for (const level of ['admin', 'delegated-admin', 'auditor', 'standard'] as const) {
    it(`${level}: canState(read op) matches whether the object's query answers`, async () => {
      const emu = await startEmulator({ seed: 'default', runningUser: level });
      try {
        const conn = await connectTo(emu, '62.0');
        const ops = Object.keys(objectOf) as Operation[];
        const [rights, ...answered] = await readParts(conn, [
          rightsRead(),
          ...ops.map((op) => ({ queries: [`SELECT Id FROM ${String(objectOf[op])} LIMIT 1`], optional: [0], assemble: (_rows: unknown, failures?: readonly unknown[]) => !failures?.[0] })),
          {
            queries: ['SELECT UserId FROM LoginHistory'],
            assemble: ([rows]: Array<Array<Record<string, unknown>>>) => new Set(rows.map((r) => String(r.UserId))).size > 1,
          },
        ] as const);
        const expected = [...ops.map((op) => rights.canState(op)), rights.canState('read:LoginHistory:others')];
        expect(answered, level).to.deep.equal(expected);
      } finally {
        await emu.close();
      }
    });
  }
});
