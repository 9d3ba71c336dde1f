import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, restError, V, type Client, type Reply } from '../testClient.js';

describe('org emulator: permission set writes (PermissionSet, groups, components, object and field permissions)', () => {
  let emu: Emulator;
  let api: Client;
  beforeEach(async () => {
    emu = await startEmulator();
    api = client(emu);
  });
  afterEach(() => emu.close());

  const set = (name: string): string => idOf(emu, 'PermissionSet', 'Name', name);
  const group = (name: string): string => idOf(emu, 'PermissionSetGroup', 'DeveloperName', name);
  const license = (name: string): string => idOf(emu, 'UserLicense', 'Name', name);
  const create = (type: string, body: Record<string, unknown>): Promise<Reply> => api.post(`${V}/sobjects/${type}`, body);
  const idOfReply = (reply: Reply): string => {
    expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    return (reply.body as { id: string }).id;
  };
  const expectError = (reply: Reply, status: number, errorCode: string, message: string | RegExp): void => {
    expect(reply.status, JSON.stringify(reply.body)).to.equal(status);
    expect(restError(reply).errorCode).to.equal(errorCode);
    if (typeof message === 'string') expect(restError(reply).message).to.equal(message);
    else expect(restError(reply).message).to.match(message);
  };
  const record = (id: string): Record<string, unknown> | undefined => emu.db.byId(id)?.record;
  const objectRows = (parentId: string): Array<Record<string, unknown>> => emu.db.records('ObjectPermissions').filter((r) => r.ParentId === parentId);
  const aggregateOf = (groupId: string): Record<string, unknown> | undefined => emu.db.records('PermissionSet').find((s) => s.PermissionSetGroupId === groupId);

  describe('PermissionSet', () => {
    it('creates a set (Name and Label) with Salesforce defaults; describe says createable, updateable, deletable', async () => {
      const id = idOfReply(await create('PermissionSet', { Name: 'Invoice_Reader', Label: 'Invoice Reader', PermissionsApiEnabled: true }));
      expect(record(id)).to.include({ Name: 'Invoice_Reader', Label: 'Invoice Reader', Type: 'Regular', IsCustom: true, IsOwnedByProfile: false, ProfileId: null, LicenseId: null, PermissionsApiEnabled: true, PermissionsViewAllData: false });
      const describe = (await api.get(`${V}/sobjects/PermissionSet/describe`)).body as { createable: boolean; updateable: boolean; deletable: boolean };
      expect([describe.createable, describe.updateable, describe.deletable]).to.deep.equal([true, true, true]);
      const queried = await api.query("SELECT Id, Label FROM PermissionSet WHERE Name = 'Invoice_Reader'");
      expect(queried.records.map((r) => r.Id)).to.deep.equal([id]);
    });

    it('Name and Label are required; Name follows the developer-name rules; read-only fields are refused', async () => {
      expectError(await create('PermissionSet', { Name: 'No_Label' }), 400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Label]');
      expectError(await create('PermissionSet', { Label: 'No Name' }), 400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name]');
      const rule = 'The API Name field can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';
      for (const bad of ['1st_Set', 'Has Space', 'Ends_', 'Double__Underscore', 'Dash-Name']) {
        expectError(await create('PermissionSet', { Name: bad, Label: 'X' }), 400, 'FIELD_INTEGRITY_EXCEPTION', rule);
      }
      expectError(await create('PermissionSet', { Name: 'Sneaky', Label: 'X', IsOwnedByProfile: true }), 400, 'INVALID_FIELD_FOR_INSERT_UPDATE', /IsOwnedByProfile/);
    });

    it('Name is unique in the org (any case) → DUPLICATE_DEVELOPER_NAME, on create and rename', async () => {
      expectError(await create('PermissionSet', { Name: 'marketing_shared', Label: 'Other' }), 400, 'DUPLICATE_DEVELOPER_NAME', 'The API name marketing_shared is already in use. Enter a unique name.');
      const id = idOfReply(await create('PermissionSet', { Name: 'Renamed', Label: 'Renamed' }));
      expectError(await api.patch(`${V}/sobjects/PermissionSet/${id}`, { Name: 'Billing_Sync_Access' }), 400, 'DUPLICATE_DEVELOPER_NAME', /Billing_Sync_Access is already in use/);
      expect((await api.patch(`${V}/sobjects/PermissionSet/${id}`, { Name: 'Renamed', Label: 'Renamed Again' })).status, 'its own name').to.equal(204);
    });

    it('LicenseId is set at creation and cannot change afterwards (the same value passes)', async () => {
      const psl = idOf(emu, 'PermissionSetLicense', 'DeveloperName', 'SalesforceCPQ_CPQStandardPerm');
      const id = idOfReply(await create('PermissionSet', { Name: 'Cpq_Set', Label: 'CPQ Set', LicenseId: psl }));
      expect(record(id)?.LicenseId).to.equal(psl);
      expectError(await api.patch(`${V}/sobjects/PermissionSet/${id}`, { LicenseId: license('Salesforce') }), 400, 'FIELD_INTEGRITY_EXCEPTION', "You can't change the license of a permission set after it's created.");
      expectError(await api.patch(`${V}/sobjects/PermissionSet/${id}`, { LicenseId: null }), 400, 'FIELD_INTEGRITY_EXCEPTION', /can't change the license/);
      expect((await api.patch(`${V}/sobjects/PermissionSet/${id}`, { LicenseId: psl, Description: 'same license' })).status).to.equal(204);
      expectError(await api.patch(`${V}/sobjects/PermissionSet/${set('Marketing_Shared')}`, { LicenseId: psl }), 400, 'FIELD_INTEGRITY_EXCEPTION', /can't change the license/);
    });

    it("a user license that doesn't allow a permission → FIELD_INTEGRITY_EXCEPTION naming it", async () => {
      expectError(await create('PermissionSet', { Name: 'Int_View_All', Label: 'X', LicenseId: license('Salesforce Integration'), PermissionsViewAllData: true }), 400,
        'FIELD_INTEGRITY_EXCEPTION', "The user license doesn't allow the permission: View All Data");
      idOfReply(await create('PermissionSet', { Name: 'Int_Api', Label: 'X', LicenseId: license('Salesforce Integration'), PermissionsApiEnabled: true, PermissionsApiUserOnly: true }));
      const reader = set('Integration_Reader');
      expectError(await create('ObjectPermissions', { ParentId: reader, SobjectType: 'Account', PermissionsRead: true }), 400,
        'FIELD_INTEGRITY_EXCEPTION', "The user license doesn't allow the permission: Read Accounts");
      const platform = idOfReply(await create('PermissionSet', { Name: 'Platform_Set', Label: 'X', LicenseId: license('Salesforce Platform') }));
      expectError(await create('ObjectPermissions', { ParentId: platform, SobjectType: 'Opportunity', PermissionsRead: true }), 400,
        'FIELD_INTEGRITY_EXCEPTION', "The user license doesn't allow the permission: Read Opportunities");
      idOfReply(await create('ObjectPermissions', { ParentId: platform, SobjectType: 'Account', PermissionsRead: true }));
    });

    it('system permission dependencies: Modify All Data needs View All Data, Manage Users needs View Setup and Manage Internal Users', async () => {
      expectError(await create('PermissionSet', { Name: 'Mad', Label: 'X', PermissionsModifyAllData: true }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        'Permission Modify All Data depends on permission(s): View All Data');
      expectError(await create('PermissionSet', { Name: 'Mu', Label: 'X', PermissionsManageUsers: true }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        'Permission Manage Users depends on permission(s): View Setup and Configuration, Manage Internal Users');
      const id = idOfReply(await create('PermissionSet', { Name: 'Mad', Label: 'X', PermissionsModifyAllData: true, PermissionsViewAllData: true }));
      expectError(await api.patch(`${V}/sobjects/PermissionSet/${id}`, { PermissionsViewAllData: false }), 400, 'FIELD_INTEGRITY_EXCEPTION', /Modify All Data depends on/);
      expect((await api.patch(`${V}/sobjects/PermissionSet/${id}`, { PermissionsViewAllData: false, PermissionsModifyAllData: false })).status).to.equal(204);
    });

    it("profile-owned sets and groups' aggregate sets are read-only (INSUFFICIENT_ACCESS_OR_READONLY), with their object permissions", async () => {
      const profileSet = emu.db.records('PermissionSet').find((s) => s.IsOwnedByProfile === true);
      const aggregate = aggregateOf(group('Integration_Bundle'));
      for (const id of [String(profileSet?.Id), String(aggregate?.Id)]) {
        expectError(await api.patch(`${V}/sobjects/PermissionSet/${id}`, { Description: 'x' }), 400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
        expectError(await api.del(`${V}/sobjects/PermissionSet/${id}`), 400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
        expectError(await create('ObjectPermissions', { ParentId: id, SobjectType: 'Lead', PermissionsRead: true }), 400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
      }
      const row = objectRows(String(profileSet?.Id))[0];
      expectError(await api.patch(`${V}/sobjects/ObjectPermissions/${String(row.Id)}`, { PermissionsRead: false }), 400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
    });

    it('an assigned set or one inside a group cannot be deleted (DELETE_FAILED); a free one goes with its object permissions', async () => {
      expectError(await api.del(`${V}/sobjects/PermissionSet/${set('Marketing_Shared')}`), 400, 'DELETE_FAILED',
        "Can't delete the permission set Marketing Shared: it's assigned to 2 user(s). Remove the assignments first.");
      expectError(await api.del(`${V}/sobjects/PermissionSet/${set('Sales_User_Extras')}`), 400, 'DELETE_FAILED',
        "Can't delete the permission set Sales User Extras: it's included in permission set group(s): Sales Bundle. Remove it from the groups first.");
      const id = idOfReply(await create('PermissionSet', { Name: 'Temp', Label: 'Temp' }));
      idOfReply(await create('ObjectPermissions', { ParentId: id, SobjectType: 'Case', PermissionsRead: true }));
      expect((await api.del(`${V}/sobjects/PermissionSet/${id}`)).status).to.equal(204);
      expect(record(id)).to.equal(undefined);
      expect(objectRows(id)).to.deep.equal([]);
    });
  });

  describe('ObjectPermissions and FieldPermissions', () => {
    it('object permission dependencies: Create/Edit/View All need Read, Delete needs Read and Edit, Modify All needs Read, Edit, Delete and View All', async () => {
      const parent = idOfReply(await create('PermissionSet', { Name: 'Deps', Label: 'Deps' }));
      const row = (flags: Record<string, boolean>): Promise<Reply> => create('ObjectPermissions', { ParentId: parent, SobjectType: 'Account', ...flags });
      expectError(await row({ PermissionsEdit: true }), 400, 'FIELD_INTEGRITY_EXCEPTION', 'Permission Edit Accounts depends on permission(s): Read Accounts');
      expectError(await row({ PermissionsCreate: true }), 400, 'FIELD_INTEGRITY_EXCEPTION', 'Permission Create Accounts depends on permission(s): Read Accounts');
      expectError(await row({ PermissionsRead: true, PermissionsDelete: true }), 400, 'FIELD_INTEGRITY_EXCEPTION', 'Permission Delete Accounts depends on permission(s): Edit Accounts');
      expectError(await row({ PermissionsRead: true, PermissionsEdit: true, PermissionsDelete: true, PermissionsModifyAllRecords: true }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        'Permission Modify All Accounts depends on permission(s): View All Accounts');
      expectError(await row({ PermissionsViewAllRecords: true }), 400, 'FIELD_INTEGRITY_EXCEPTION', 'Permission View All Accounts depends on permission(s): Read Accounts');
      const id = idOfReply(await row({ PermissionsRead: true, PermissionsEdit: true }));
      expect(record(id)).to.include({ ParentId: parent, SobjectType: 'Account', PermissionsRead: true, PermissionsEdit: true, PermissionsDelete: false });
      expectError(await row({ PermissionsRead: true }), 400, 'DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${id}`);
      expectError(await api.patch(`${V}/sobjects/ObjectPermissions/${id}`, { PermissionsRead: false }), 400, 'FIELD_INTEGRITY_EXCEPTION', 'Permission Edit Accounts depends on permission(s): Read Accounts');
      expect((await api.patch(`${V}/sobjects/ObjectPermissions/${id}`, { PermissionsDelete: true })).status).to.equal(204);
      expectError(await api.patch(`${V}/sobjects/ObjectPermissions/${id}`, { SobjectType: 'Lead' }), 400, 'INVALID_FIELD_FOR_INSERT_UPDATE', /SobjectType/);
      expect((await api.del(`${V}/sobjects/ObjectPermissions/${id}`)).status).to.equal(204);
      expect(objectRows(parent)).to.deep.equal([]);
    });

    it('field permissions: Field is "Object.Field", Edit needs Read, one row per field', async () => {
      const parent = idOfReply(await create('PermissionSet', { Name: 'Fls', Label: 'FLS' }));
      expectError(await create('FieldPermissions', { ParentId: parent, SobjectType: 'Account', Field: 'Contact.Email', PermissionsRead: true }), 400, 'FIELD_INTEGRITY_EXCEPTION', /expected Account\.FieldName/);
      expectError(await create('FieldPermissions', { ParentId: parent, SobjectType: 'Account', Field: 'Account.Industry', PermissionsEdit: true }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        'Permission Edit Account.Industry depends on permission(s): Read Account.Industry');
      const id = idOfReply(await create('FieldPermissions', { ParentId: parent, SobjectType: 'Account', Field: 'Account.Industry', PermissionsRead: true }));
      expectError(await create('FieldPermissions', { ParentId: parent, SobjectType: 'Account', Field: 'account.industry', PermissionsRead: true }), 400, 'DUPLICATE_VALUE', /duplicates value on record with id/);
      expect((await api.patch(`${V}/sobjects/FieldPermissions/${id}`, { PermissionsEdit: true })).status).to.equal(204);
      const rows = await api.query(`SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = '${parent}'`);
      expect(rows.records.map((r) => [r.Field, r.PermissionsRead, r.PermissionsEdit])).to.deep.equal([['Account.Industry', true, true]]);
    });
  });

  describe('PermissionSetGroup and PermissionSetGroupComponent', () => {
    it('creates a group with its aggregate set; components are unioned into it at once and the group stays assignable (Updated)', async () => {
      const groupId = idOfReply(await create('PermissionSetGroup', { DeveloperName: 'Ops_Bundle', MasterLabel: 'Ops Bundle' }));
      expect(record(groupId)).to.include({ Status: 'Updated', NamespacePrefix: null });
      const aggregate = aggregateOf(groupId);
      expect(aggregate).to.include({ Type: 'Group', Label: 'Ops Bundle', IsCustom: false });
      idOfReply(await create('PermissionSetGroupComponent', { PermissionSetGroupId: groupId, PermissionSetId: set('Billing_Sync_Access') }));
      idOfReply(await create('PermissionSetGroupComponent', { PermissionSetGroupId: groupId, PermissionSetId: set('Data_Steward_ViewAll') }));
      expect(record(groupId)?.Status).to.equal('Updated');
      expect(record(String(aggregate?.Id))?.PermissionsViewAllData).to.equal(true);
      expect(objectRows(String(aggregate?.Id)).map((r) => [r.SobjectType, r.PermissionsRead, r.PermissionsEdit]).sort()).to.deep.equal([['Account', true, true], ['Opportunity', true, false]]);
      const jane = idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com');
      expect((await api.post(`${V}/sobjects/PermissionSetAssignment`, { AssigneeId: jane, PermissionSetGroupId: groupId })).status).to.equal(201);
    });

    it("a component's change is recalculated into every group holding it (Outdated → Updated in the same request)", async () => {
      const bundle = group('Integration_Bundle');
      const aggregate = String(aggregateOf(bundle)?.Id);
      const billingRow = objectRows(set('Billing_Sync_Access')).find((r) => r.SobjectType === 'Opportunity');
      expect((await api.patch(`${V}/sobjects/ObjectPermissions/${String(billingRow?.Id)}`, { PermissionsEdit: true })).status).to.equal(204);
      expect(objectRows(aggregate).find((r) => r.SobjectType === 'Opportunity')).to.include({ PermissionsRead: true, PermissionsEdit: true });
      expect((await api.patch(`${V}/sobjects/PermissionSet/${set('Billing_Sync_Access')}`, { PermissionsViewSetup: true })).status).to.equal(204);
      expect(record(aggregate)?.PermissionsViewSetup).to.equal(true);
      expect(record(bundle)?.Status).to.equal('Updated');
      // The seeded Outdated group is recalculated by a change to its components and becomes assignable.
      const legacy = group('Legacy_Bundle');
      expect(record(legacy)?.Status).to.equal('Outdated');
      expect((await api.patch(`${V}/sobjects/PermissionSet/${set('Integration_Reader')}`, { Description: 'touched' })).status).to.equal(204);
      expect(record(legacy)?.Status, 'a description is not a permission change').to.equal('Outdated');
      expect((await api.patch(`${V}/sobjects/PermissionSet/${set('Integration_Reader')}`, { PermissionsApiEnabled: true })).status).to.equal(204);
      expect(record(legacy)?.Status).to.equal('Updated');
      expect(record(String(aggregateOf(legacy)?.Id))?.PermissionsApiEnabled).to.equal(true);
    });

    it('components: no profile-owned or aggregate sets, no duplicates; deleting one recalculates; a component is not updatable', async () => {
      const sales = group('Sales_Bundle');
      const profileSet = emu.db.records('PermissionSet').find((s) => s.IsOwnedByProfile === true);
      expectError(await create('PermissionSetGroupComponent', { PermissionSetGroupId: sales, PermissionSetId: String(profileSet?.Id) }), 400, 'FIELD_INTEGRITY_EXCEPTION', /aren't associated with a profile/);
      expectError(await create('PermissionSetGroupComponent', { PermissionSetGroupId: sales, PermissionSetId: String(aggregateOf(group('Integration_Bundle'))?.Id) }), 400, 'FIELD_INTEGRITY_EXCEPTION', /another permission set group/);
      expectError(await create('PermissionSetGroupComponent', { PermissionSetGroupId: sales, PermissionSetId: set('Sales_User_Extras') }), 400, 'DUPLICATE_VALUE', /duplicate value found/);
      const component = emu.db.records('PermissionSetGroupComponent').find((c) => c.PermissionSetGroupId === sales);
      expect((await api.patch(`${V}/sobjects/PermissionSetGroupComponent/${String(component?.Id)}`, { PermissionSetId: set('Marketing_Shared') })).status).to.equal(405);
      expect((await api.del(`${V}/sobjects/PermissionSetGroupComponent/${String(component?.Id)}`)).status).to.equal(204);
      expect(objectRows(String(aggregateOf(sales)?.Id))).to.deep.equal([]);
      expect(record(sales)?.Status).to.equal('Updated');
    });

    it('DeveloperName unique and well-formed, MasterLabel required; an assigned group cannot be deleted; a free one goes with its components and aggregate', async () => {
      expectError(await create('PermissionSetGroup', { DeveloperName: 'integration_bundle', MasterLabel: 'X' }), 400, 'DUPLICATE_DEVELOPER_NAME', /integration_bundle is already in use/);
      expectError(await create('PermissionSetGroup', { DeveloperName: 'Bad Name', MasterLabel: 'X' }), 400, 'FIELD_INTEGRITY_EXCEPTION', /^The Developer Name field can only contain/);
      expectError(await create('PermissionSetGroup', { DeveloperName: 'No_Label' }), 400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [MasterLabel]');
      expectError(await api.del(`${V}/sobjects/PermissionSetGroup/${group('Integration_Bundle')}`), 400, 'DELETE_FAILED', /Integration Bundle: it's assigned to 1 user\(s\)/);
      const sales = group('Sales_Bundle');
      const aggregate = String(aggregateOf(sales)?.Id);
      expect((await api.del(`${V}/sobjects/PermissionSetGroup/${sales}`)).status).to.equal(204);
      expect([record(sales), record(aggregate)]).to.deep.equal([undefined, undefined]);
      expect(emu.db.records('PermissionSetGroupComponent').filter((c) => c.PermissionSetGroupId === sales)).to.deep.equal([]);
      expect(record(set('Sales_User_Extras')), 'the component set itself stays').to.not.equal(undefined);
    });
  });

  it('writes need Manage Profiles and Permission Sets: a delegated admin (Assign Permission Sets only) is refused before any field check', async () => {
    await emu.close();
    emu = await startEmulator({ runningUser: 'delegated-admin' });
    api = client(emu);
    expectError(await create('PermissionSet', { Name: 'Delegated_Try', Label: 'X' }), 400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
    expectError(await create('PermissionSetGroup', { DeveloperName: 'Delegated_Group' }), 400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
    expectError(await api.patch(`${V}/sobjects/PermissionSet/${set('Marketing_Shared')}`, { Description: 'x' }), 400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
    expect(emu.db.records('PermissionSet').some((s) => s.Name === 'Delegated_Try')).to.equal(false);
  });

  it('FieldPermissions, like ObjectPermissions, is readable only with View Setup and Configuration', async () => {
    await emu.close();
    emu = await startEmulator({ runningUser: 'standard' });
    api = client(emu);
    const reply = await api.get(`${V}/query?q=${encodeURIComponent('SELECT Id FROM FieldPermissions')}`);
    expect([reply.status, restError(reply).errorCode]).to.deep.equal([400, 'INVALID_TYPE']);
  });

  describe('through composite and collections', () => {
    it('a set and its object permissions in one allOrNone composite (a failure rolls both back); collections create several sets', async () => {
      const failing = await api.post(`${V}/composite`, {
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: `${V}/sobjects/PermissionSet`, referenceId: 'ps', body: { Name: 'Composite_Set', Label: 'Composite Set' } },
          { method: 'POST', url: `${V}/sobjects/ObjectPermissions`, referenceId: 'op', body: { ParentId: '@{ps.id}', SobjectType: 'Account', PermissionsEdit: true } },
        ],
      });
      const codes = (failing.body as { compositeResponse: Array<{ body: Array<{ errorCode: string }> }> }).compositeResponse.map((r) => r.body[0].errorCode);
      expect(codes).to.deep.equal(['PROCESSING_HALTED', 'FIELD_INTEGRITY_EXCEPTION']);
      expect(emu.db.records('PermissionSet').some((s) => s.Name === 'Composite_Set')).to.equal(false);

      const ok = await api.post(`${V}/composite`, {
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: `${V}/sobjects/PermissionSet`, referenceId: 'ps', body: { Name: 'Composite_Set', Label: 'Composite Set' } },
          { method: 'POST', url: `${V}/sobjects/ObjectPermissions`, referenceId: 'op', body: { ParentId: '@{ps.id}', SobjectType: 'Account', PermissionsRead: true, PermissionsEdit: true } },
        ],
      });
      expect((ok.body as { compositeResponse: Array<{ httpStatusCode: number }> }).compositeResponse.map((r) => r.httpStatusCode)).to.deep.equal([201, 201]);

      const records = ['Batch_One', 'Batch_Two', 'batch_one'].map((name) => ({ attributes: { type: 'PermissionSet' }, Name: name, Label: name }));
      const results = (await api.post(`${V}/composite/sobjects`, { allOrNone: false, records })).body as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>;
      expect(results.map((r) => r.success)).to.deep.equal([true, true, false]);
      expect(results[2].errors[0].statusCode).to.equal('DUPLICATE_DEVELOPER_NAME');
    });
  });
});
