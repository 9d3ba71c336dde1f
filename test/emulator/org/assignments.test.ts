import { expect } from 'chai';
import { makeId } from '../core/ids.js';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, newUser, restError, V, type Client, type Reply } from '../testClient.js';

describe('org emulator: permission set license and permission set assignments', () => {
  let emu: Emulator;
  let api: Client;
  const user = (name: string): string => idOf(emu, 'User', 'Username', `${name}@acme.example.com`);
  const set = (name: string): string => idOf(emu, 'PermissionSet', 'Name', name);
  const group = (name: string): string => idOf(emu, 'PermissionSetGroup', 'DeveloperName', name);
  const psl = (name: string): string => idOf(emu, 'PermissionSetLicense', 'DeveloperName', name);
  const assign = (body: Record<string, unknown>): Promise<Reply> => api.post(`${V}/sobjects/PermissionSetAssignment`, body);
  const assignPsl = (assigneeId: string, pslId: string): Promise<Reply> =>
    api.post(`${V}/sobjects/PermissionSetLicenseAssign`, { AssigneeId: assigneeId, PermissionSetLicenseId: pslId });
  const expectError = (reply: Reply, status: number, errorCode: string, message: string | RegExp): void => {
    expect(reply.status, JSON.stringify(reply.body)).to.equal(status);
    expect(restError(reply).errorCode).to.equal(errorCode);
    if (typeof message === 'string') expect(restError(reply).message).to.equal(message);
    else expect(restError(reply).message).to.match(message);
  };
  /** A fresh Salesforce Integration user without any PSL. */
  const newIntegrationUser = async (): Promise<string> => {
    const reply = await api.post(`${V}/sobjects/User`, newUser({ LastName: 'Fresh Sync' }, idOf(emu, 'Profile', 'Name', 'Minimum Access - API Only Integrations')));
    expect(reply.status).to.equal(201);
    return (reply.body as { id: string }).id;
  };

  beforeEach(async () => {
    emu = await startEmulator();
    api = client(emu);
  });
  afterEach(() => emu.close());
  /** The same org with PSL auto-assignment off (the strict variant). */
  const strict = async (): Promise<void> => {
    await emu.close();
    emu = await startEmulator({ pslAutoAssign: false });
    api = client(emu);
  };
  const pslRows = (userId: string, pslId: string): unknown[] =>
    emu.db.records('PermissionSetLicenseAssign').filter((a) => a.AssigneeId === userId && a.PermissionSetLicenseId === pslId);

  describe('PermissionSetLicenseAssign', () => {
    it('assigns a PSL with a free seat and counts it in UsedLicenses', async () => {
      const id = await newIntegrationUser();
      const reply = await assignPsl(id, psl('SalesforceAPIIntegrationPsl'));
      expect(reply.status).to.equal(201);
      expect(emu.db.byId(psl('SalesforceAPIIntegrationPsl'))?.record.UsedLicenses).to.equal(4);
    });

    it('DUPLICATE_VALUE naming the existing assignment', async () => {
      const existing = emu.db.records('PermissionSetLicenseAssign').find((a) => a.AssigneeId === user('billing.sync'));
      expectError(await assignPsl(user('billing.sync'), psl('SalesforceAPIIntegrationPsl')), 400, 'DUPLICATE_VALUE',
        `duplicate value found: <unknown> duplicates value on record with id: ${String(existing?.Id)}`);
    });

    it('LICENSE_LIMIT_EXCEEDED for a PSL without a free seat (chosen code)', async () => {
      expectError(await assignPsl(user('jane.doe'), psl('SalesforceCPQ_CPQAAPerm')), 400, 'LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');
    });

    it('FIELD_INTEGRITY_EXCEPTION for a disabled PSL; INVALID_CROSS_REFERENCE_KEY for an unknown one', async () => {
      const cpq = emu.db.byId(psl('SalesforceCPQ_CPQStandardPerm'))?.record;
      if (cpq) cpq.Status = 'Disabled';
      expectError(await assignPsl(user('jane.doe'), psl('SalesforceCPQ_CPQStandardPerm')), 400, 'FIELD_INTEGRITY_EXCEPTION', "The permission set license Salesforce CPQ License isn't active.");
      expectError(await assignPsl(user('jane.doe'), makeId('0PL', 9999)), 400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    });

    it('is create/delete only: PATCH answers 405; delete works unless assigned sets need the PSL', async () => {
      const billing = emu.db.records('PermissionSetLicenseAssign').find((a) => a.AssigneeId === user('billing.sync'));
      expect((await api.patch(`${V}/sobjects/PermissionSetLicenseAssign/${String(billing?.Id)}`, { AssigneeId: user('jane.doe') })).status).to.equal(405);
      expectError(await api.del(`${V}/sobjects/PermissionSetLicenseAssign/${String(billing?.Id)}`), 400, 'FIELD_INTEGRITY_EXCEPTION', /Integration API Access/);
      const legacy = emu.db.records('PermissionSetLicenseAssign').find((a) => a.AssigneeId === user('legacy.etl'));
      expect((await api.del(`${V}/sobjects/PermissionSetLicenseAssign/${String(legacy?.Id)}`)).status).to.equal(204);
    });
  });

  describe('PermissionSetAssignment', () => {
    it('exactly one of PermissionSetId / PermissionSetGroupId', async () => {
      expectError(await assign({ AssigneeId: user('jane.doe') }), 400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [PermissionSetId]');
      expectError(await assign({ AssigneeId: user('jane.doe'), PermissionSetId: set('Data_Steward_ViewAll'), PermissionSetGroupId: group('Sales_Bundle') }),
        400, 'FIELD_INTEGRITY_EXCEPTION', 'Specify either a permission set or a permission set group, not both.');
    });

    it('refuses profile-owned sets and group aggregate sets', async () => {
      const profileSet = emu.db.records('PermissionSet').find((s) => s.IsOwnedByProfile === true);
      expectError(await assign({ AssigneeId: user('jane.doe'), PermissionSetId: profileSet?.Id }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        "You can't assign or unassign this permission set because it's associated with a profile.");
      const aggregate = emu.db.records('PermissionSet').find((s) => s.Type === 'Group');
      expectError(await assign({ AssigneeId: user('jane.doe'), PermissionSetId: aggregate?.Id }), 400, 'FIELD_INTEGRITY_EXCEPTION', /aggregate permission set/);
    });

    it('DUPLICATE_VALUE for a set or a group already assigned', async () => {
      const existing = emu.db.records('PermissionSetAssignment').find((a) => a.AssigneeId === user('jane.doe') && a.PermissionSetId === set('Marketing_Shared'));
      expectError(await assign({ AssigneeId: user('jane.doe'), PermissionSetId: set('Marketing_Shared') }), 400, 'DUPLICATE_VALUE',
        `duplicate value found: <unknown> duplicates value on record with id: ${String(existing?.Id)}`);
      expectError(await assign({ AssigneeId: user('billing.sync'), PermissionSetGroupId: group('Integration_Bundle') }), 400, 'DUPLICATE_VALUE', /duplicate value found/);
    });

    it('a set licensed by another user license → FIELD_INTEGRITY_EXCEPTION naming the first permission', async () => {
      expectError(await assign({ AssigneeId: user('billing.sync'), PermissionSetId: set('Sales_User_Extras') }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        "Can't assign permission set Sales User Extras to user Billing Sync. The user license doesn't allow the permission: Read Opportunities");
      expectError(await assign({ AssigneeId: user('jane.doe'), PermissionSetId: set('Integration_Reader') }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        "Can't assign permission set Integration Reader to user Jane Doe. The user license doesn't allow the permission: Salesforce Integration");
    });

    it('pslAutoAssign off: a set licensed by a PSL the user lacks → the same error; allowed once the PSL is assigned', async () => {
      await strict();
      const id = await newIntegrationUser();
      expectError(await assign({ AssigneeId: id, PermissionSetId: set('Integration_API_Access') }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        "Can't assign permission set Integration API Access to user Fresh Sync. The user license doesn't allow the permission: Read Contacts");
      expect((await assignPsl(id, psl('SalesforceAPIIntegrationPsl'))).status).to.equal(201);
      expect((await assign({ AssigneeId: id, PermissionSetId: set('Integration_API_Access') })).status).to.equal(201);
    });

    it('a license-less set with standard-object or standard permissions needs the API Integration PSL on an integration user', async () => {
      const id = await newIntegrationUser();
      expectError(await assign({ AssigneeId: id, PermissionSetId: set('Billing_Sync_Access') }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        "Can't assign permission set Billing Sync Access to user Fresh Sync. The user license doesn't allow the permission: Read Accounts");
      expectError(await assign({ AssigneeId: id, PermissionSetId: set('Data_Steward_ViewAll') }), 400, 'FIELD_INTEGRITY_EXCEPTION', /doesn't allow the permission: View All Data$/);
      expect((await assign({ AssigneeId: id, PermissionSetId: set('API_Only_User') })).status, 'API Only User is allowed').to.equal(201);
      expect((await assign({ AssigneeId: id, PermissionSetId: set('Integration_Reader') })).status, 'own user license').to.equal(201);
      expect((await assignPsl(id, psl('SalesforceAPIIntegrationPsl'))).status).to.equal(201);
      expect((await assign({ AssigneeId: id, PermissionSetId: set('Billing_Sync_Access') })).status).to.equal(201);
    });

    it('pslAutoAssign off: a PSL-licensed set for a PSL without seats fails for a user without it (CPQ_Extras)', async () => {
      await strict();
      expectError(await assign({ AssigneeId: user('jane.doe'), PermissionSetId: set('CPQ_Extras') }), 400, 'FIELD_INTEGRITY_EXCEPTION', /doesn't allow the permission: Salesforce CPQ AA License$/);
    });

    it('groups: must be Updated; every component obeys the license rules; the row carries the aggregate set', async () => {
      await strict();
      const id = await newIntegrationUser();
      expectError(await assign({ AssigneeId: id, PermissionSetGroupId: group('Legacy_Bundle') }), 400, 'FIELD_INTEGRITY_EXCEPTION',
        "Can't assign permission set group Legacy Bundle to user Fresh Sync. The permission set group's status is Outdated; it must be Updated.");
      expectError(await assign({ AssigneeId: id, PermissionSetGroupId: group('Integration_Bundle') }), 400, 'FIELD_INTEGRITY_EXCEPTION', /Billing Sync Access.*Read Accounts$/);
      expect((await assignPsl(id, psl('SalesforceAPIIntegrationPsl'))).status).to.equal(201);
      const reply = await assign({ AssigneeId: id, PermissionSetGroupId: group('Integration_Bundle') });
      expect(reply.status).to.equal(201);
      const row = emu.db.byId((reply.body as { id: string }).id)?.record;
      const aggregate = emu.db.records('PermissionSet').find((s) => s.PermissionSetGroupId === group('Integration_Bundle'));
      expect(row).to.include({ PermissionSetGroupId: group('Integration_Bundle'), PermissionSetId: aggregate?.Id, IsActive: true });
    });

    it('pslAutoAssign (default): a set licensed by a PSL the user lacks assigns the PSL too, taking a seat', async () => {
      const id = await newIntegrationUser();
      const api = psl('SalesforceAPIIntegrationPsl');
      const reply = await assign({ AssigneeId: id, PermissionSetId: set('Integration_API_Access') });
      expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
      expect(pslRows(id, api)).to.have.length(1);
      expect(emu.db.byId(api)?.record.UsedLicenses).to.equal(4);
      // Held now: a license-less set with standard-object access is allowed, and nothing is assigned twice.
      expect((await assign({ AssigneeId: id, PermissionSetId: set('Billing_Sync_Access') })).status).to.equal(201);
      expect(pslRows(id, api)).to.have.length(1);
    });

    it('pslAutoAssign: no free seat → LICENSE_LIMIT_EXCEEDED and neither the PSA nor a PSL assignment exists', async () => {
      const before = emu.db.records('PermissionSetLicenseAssign').length;
      expectError(await assign({ AssigneeId: user('jane.doe'), PermissionSetId: set('CPQ_Extras') }), 400, 'LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');
      expect(emu.db.records('PermissionSetLicenseAssign')).to.have.length(before);
      expect(emu.db.records('PermissionSetAssignment').some((a) => a.AssigneeId === user('jane.doe') && a.PermissionSetId === set('CPQ_Extras'))).to.equal(false);
    });

    it('pslAutoAssign: a group whose component needs a PSL assigns it; the other components may then rely on it', async () => {
      const id = await newIntegrationUser();
      // Integration_Bundle = Billing_Sync_Access (license-less, standard objects) + Integration_API_Access (API Integration PSL).
      const reply = await assign({ AssigneeId: id, PermissionSetGroupId: group('Integration_Bundle') });
      expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
      expect(pslRows(id, psl('SalesforceAPIIntegrationPsl'))).to.have.length(1);
    });

    it('pslAutoAssign: the auto PSL assignment is rolled back with its PSA (allOrNone composite, failed later rule)', async () => {
      const id = await newIntegrationUser();
      const reply = await api.post(`${V}/composite`, {
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: `${V}/sobjects/PermissionSetAssignment`, referenceId: 'a', body: { AssigneeId: id, PermissionSetId: set('Integration_API_Access') } },
          { method: 'POST', url: `${V}/sobjects/PermissionSetAssignment`, referenceId: 'b', body: { AssigneeId: id, PermissionSetId: set('Sales_User_Extras') } },
        ],
      });
      const [a, b] = (reply.body as { compositeResponse: Array<{ httpStatusCode: number }> }).compositeResponse;
      expect([a.httpStatusCode, b.httpStatusCode]).to.deep.equal([400, 400]);
      expect(pslRows(id, psl('SalesforceAPIIntegrationPsl'))).to.have.length(0);
      // A seat is needed for an active user only; with the seats gone the whole PSA fails.
      const apiPsl = emu.db.byId(psl('SalesforceAPIIntegrationPsl'))?.record;
      if (apiPsl) emu.db.update(apiPsl, { TotalLicenses: 3 });
      emu.db.commit();
      expectError(await assign({ AssigneeId: id, PermissionSetGroupId: group('Integration_Bundle') }), 400, 'LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');
      expect(pslRows(id, psl('SalesforceAPIIntegrationPsl'))).to.have.length(0);
    });

    it('only ExpirationDate is updatable; profile-set assignments cannot be deleted, others can', async () => {
      const rows = emu.db.records('PermissionSetAssignment').filter((a) => a.AssigneeId === user('jane.doe'));
      const profileRow = rows.find((a) => emu.db.byId(String(a.PermissionSetId))?.record.IsOwnedByProfile === true);
      const marketing = rows.find((a) => a.PermissionSetId === set('Marketing_Shared'));
      expect((await api.patch(`${V}/sobjects/PermissionSetAssignment/${String(marketing?.Id)}`, { ExpirationDate: '2030-01-01T00:00:00.000Z' })).status).to.equal(204);
      expectError(await api.patch(`${V}/sobjects/PermissionSetAssignment/${String(marketing?.Id)}`, { PermissionSetId: set('Data_Steward_ViewAll') }), 400, 'INVALID_FIELD_FOR_INSERT_UPDATE', /PermissionSetId/);
      expectError(await api.del(`${V}/sobjects/PermissionSetAssignment/${String(profileRow?.Id)}`), 400, 'FIELD_INTEGRITY_EXCEPTION', /associated with a profile/);
      expect((await api.del(`${V}/sobjects/PermissionSetAssignment/${String(marketing?.Id)}`)).status).to.equal(204);
    });
  });
});
