import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, restError, V, type Client } from '../testClient.js';

type SaveResult = { id: string | null; success: boolean; errors: Array<{ statusCode: string; message: string; fields: string[] }> };

describe('org emulator: sObject Collections', () => {
  let emu: Emulator;
  let api: Client;
  beforeEach(async () => {
    emu = await startEmulator();
    api = client(emu);
  });
  afterEach(() => emu.close());

  const psa = (username: string, setName: string): Record<string, unknown> => ({
    attributes: { type: 'PermissionSetAssignment' },
    AssigneeId: idOf(emu, 'User', 'Username', `${username}@acme.example.com`),
    PermissionSetId: idOf(emu, 'PermissionSet', 'Name', setName),
  });
  const save = async (records: unknown[], allOrNone: boolean): Promise<SaveResult[]> => {
    const reply = await api.post(`${V}/composite/sobjects`, { allOrNone, records });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    return reply.body as SaveResult[];
  };

  it('allOrNone false: results in record order, errors with the statusCode key, successes kept', async () => {
    const results = await save([psa('jane.doe', 'Data_Steward_ViewAll'), psa('jane.doe', 'Marketing_Shared')], false);
    expect(results[0]).to.include({ success: true });
    expect(results[0].errors).to.deep.equal([]);
    expect(results[1].success).to.equal(false);
    expect(results[1].errors[0]).to.have.keys(['statusCode', 'message', 'fields']);
    expect(results[1].errors[0].statusCode).to.equal('DUPLICATE_VALUE');
    expect(emu.db.byId(String(results[0].id))?.type).to.equal('PermissionSetAssignment');
  });

  it('allOrNone true: one failure rolls all back; the others carry ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const before = emu.db.records('PermissionSetAssignment').length;
    const results = await save([psa('jane.doe', 'Data_Steward_ViewAll'), psa('jane.doe', 'Marketing_Shared')], true);
    expect(results[0]).to.deep.equal({
      id: null,
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }],
    });
    expect(results[1].errors[0].statusCode).to.equal('DUPLICATE_VALUE');
    expect(emu.db.records('PermissionSetAssignment')).to.have.length(before);
  });

  it('at most 200 records: 201 → 400 EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, () => psa('jane.doe', 'Data_Steward_ViewAll'));
    const reply = await api.post(`${V}/composite/sobjects`, { allOrNone: false, records });
    expect([reply.status, restError(reply)]).to.deep.equal([400, { errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit reached. cannot submit more than 200 records into this call' }]);
  });

  it('several types when one is a Setup object → 400 (UserLogin and PermissionSetAssignment together)', async () => {
    const user = { attributes: { type: 'UserLogin' }, Id: emu.db.records('UserLogin')[0].Id, IsFrozen: true };
    const reply = await api.call('PATCH', `${V}/composite/sobjects`, { allOrNone: false, records: [user, { ...psa('jane.doe', 'Marketing_Shared'), Id: emu.db.records('PermissionSetAssignment')[0].Id }] });
    expect([reply.status, restError(reply).errorCode]).to.deep.equal([400, 'INVALID_OPERATION']);
    expect(restError(reply).message).to.match(/multiple object types in one call when one of the types is related to a feature in the Salesforce Setup area/);
  });

  it('PATCH updates by Id, DELETE ?ids= deletes, GET <Type>?ids=&fields= retrieves in Id order', async () => {
    const login = emu.db.records('UserLogin').find((l) => l.UserId === idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com'));
    const patched = await api.call('PATCH', `${V}/composite/sobjects`, { allOrNone: true, records: [{ attributes: { type: 'UserLogin' }, Id: login?.Id, IsFrozen: true }] });
    expect(patched.body).to.deep.equal([{ id: login?.Id, success: true, errors: [] }]);
    expect(login?.IsFrozen).to.equal(true);

    const [created] = await save([psa('jane.doe', 'Data_Steward_ViewAll')], true);
    const deleted = await api.del(`${V}/composite/sobjects?ids=${String(created.id)}&allOrNone=true`);
    expect(deleted.body).to.deep.equal([{ id: created.id, success: true, errors: [] }]);
    expect(emu.db.byId(String(created.id))).to.equal(undefined);

    const jane = idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com');
    const admin = idOf(emu, 'User', 'Username', 'admin@acme.example.com');
    const got = await api.get(`${V}/composite/sobjects/User?ids=${admin},${jane}&fields=Username`);
    expect((got.body as Array<{ Username: string }>).map((r) => r.Username)).to.deep.equal(['admin@acme.example.com', 'jane.doe@acme.example.com']);
  });
});
