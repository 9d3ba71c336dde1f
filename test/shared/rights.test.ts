import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import {
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
});
