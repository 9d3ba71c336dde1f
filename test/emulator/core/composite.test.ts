import { expect } from 'chai';
import { startEmulator, type Emulator, type EmulatorOptions } from '../index.js';
import { client, idOf, newUser, restError, V, type Client, type Reply } from '../testClient.js';

type SubResponse = { body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string };
type Sub = { method: string; url: string; referenceId: string; body?: unknown };

/** Every record of the objects a create touches, to compare before/after. */
const snapshot = (emu: Emulator): string =>
  JSON.stringify(['User', 'UserLogin', 'PermissionSetAssignment', 'PermissionSetLicenseAssign'].map((t) => emu.db.records(t)));

describe('org emulator: composite', () => {
  let emu: Emulator;
  let api: Client;
  const start = async (options: EmulatorOptions = {}): Promise<void> => {
    emu = await startEmulator(options);
    api = client(emu);
  };
  afterEach(() => emu.close());

  const composite = async (compositeRequest: Sub[], allOrNone = true): Promise<SubResponse[]> => {
    const reply = await api.post(`${V}/composite`, { allOrNone, collateSubrequests: false, compositeRequest });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    return (reply.body as { compositeResponse: SubResponse[] }).compositeResponse;
  };
  const integrationProfile = (): string => idOf(emu, 'Profile', 'Name', 'Minimum Access - API Only Integrations');
  const createUserAndGrants = (psaSet = 'Billing_Sync_Access'): Sub[] => [
    { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'newUser', body: newUser({}, integrationProfile()) },
    {
      method: 'POST',
      url: `${V}/sobjects/PermissionSetLicenseAssign`,
      referenceId: 'psl',
      body: { AssigneeId: '@{newUser.id}', PermissionSetLicenseId: idOf(emu, 'PermissionSetLicense', 'DeveloperName', 'SalesforceAPIIntegrationPsl') },
    },
    { method: 'POST', url: `${V}/sobjects/PermissionSetAssignment`, referenceId: 'psa', body: { AssigneeId: '@{newUser.id}', PermissionSetId: idOf(emu, 'PermissionSet', 'Name', psaSet) } },
  ];

  it('User → PSL → PSA in one allOrNone composite, in order, with @{newUser.id} references', async () => {
    await start();
    const responses = await composite(createUserAndGrants());
    expect(responses.map((r) => [r.referenceId, r.httpStatusCode])).to.deep.equal([['newUser', 201], ['psl', 201], ['psa', 201]]);
    const userId = (responses[0].body as { id: string }).id;
    expect(responses[0].httpHeaders).to.deep.equal({ Location: `/services/data/v62.0/sobjects/User/${userId}` });
    const assigned = emu.db.records('PermissionSetAssignment').filter((a) => a.AssigneeId === userId);
    const setNames = assigned.map((a) => emu.db.byId(String(a.PermissionSetId))?.record).filter((s) => s?.IsOwnedByProfile !== true).map((s) => s?.Name);
    expect(setNames, 'besides the profile set').to.deep.equal(['Billing_Sync_Access']);
  });

  it('allOrNone true: a failure rolls everything back without trace; the others answer PROCESSING_HALTED', async () => {
    await start();
    const before = snapshot(emu);
    const responses = await composite(createUserAndGrants('Sales_User_Extras'));
    expect(responses.map((r) => r.httpStatusCode)).to.deep.equal([400, 400, 400]);
    expect(responses[0].body).to.deep.equal([{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }]);
    expect((responses[2].body as Array<{ errorCode: string }>)[0].errorCode).to.equal('FIELD_INTEGRITY_EXCEPTION');
    expect(snapshot(emu)).to.equal(before);
  });

  it('allOrNone false: independent subrequests run, dependents of a failed one get PROCESSING_HALTED', async () => {
    await start();
    const subs = createUserAndGrants();
    subs[0].body = newUser({ Alias: 'far-too-long' }, integrationProfile());
    subs.push({ method: 'GET', url: `${V}/query?q=${encodeURIComponent('SELECT Id FROM Profile')}`, referenceId: 'independent' });
    const responses = await composite(subs, false);
    expect(responses.map((r) => r.httpStatusCode)).to.deep.equal([400, 400, 400, 200]);
    expect((responses[0].body as Array<{ errorCode: string }>)[0].errorCode).to.equal('STRING_TOO_LONG');
    expect((responses[1].body as Array<{ errorCode: string; message: string }>)[0]).to.deep.include({ errorCode: 'PROCESSING_HALTED' });
    expect((responses[1].body as Array<{ message: string }>)[0].message).to.match(/newUser\.id/);
  });

  it('references into query results: @{q.records[0].Id}; an unresolvable reference → PROCESSING_HALTED', async () => {
    await start();
    const responses = await composite([
      { method: 'GET', url: `${V}/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Username = 'jane.doe@acme.example.com'")}`, referenceId: 'q' },
      { method: 'GET', url: `${V}/sobjects/User/@{q.records[0].Id}?fields=Username`, referenceId: 'jane' },
      { method: 'GET', url: `${V}/sobjects/User/@{q.records[5].Id}`, referenceId: 'missing' },
    ], false);
    expect((responses[1].body as { Username: string }).Username).to.equal('jane.doe@acme.example.com');
    expect(responses[2].httpStatusCode).to.equal(400);
    expect((responses[2].body as Array<{ errorCode: string }>)[0].errorCode).to.equal('PROCESSING_HALTED');
  });

  it('references are case-sensitive: @{newUser.Id} does not resolve', async () => {
    await start();
    const subs = createUserAndGrants();
    (subs[1].body as Record<string, unknown>).AssigneeId = '@{newUser.Id}';
    const responses = await composite(subs.slice(0, 2), false);
    expect(responses.map((r) => r.httpStatusCode)).to.deep.equal([201, 400]);
    expect((responses[1].body as Array<{ errorCode: string }>)[0].errorCode).to.equal('PROCESSING_HALTED');
  });

  it('collateSubrequests false keeps the order: a later subrequest sees an earlier one\'s write', async () => {
    await start();
    const responses = await composite([
      { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'u', body: newUser({}, integrationProfile()) },
      { method: 'GET', url: `${V}/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Username = 'new.integration@acme.example.com'")}`, referenceId: 'check' },
    ]);
    expect((responses[1].body as { totalSize: number }).totalSize).to.equal(1);
  });

  it('limits: more than 25 subrequests or more than 5 queries/collections → 400; bad or duplicate referenceIds → 400; urls must be versioned', async () => {
    await start();
    const query = (i: number): Sub => ({ method: 'GET', url: `${V}/query?q=SELECT+Id+FROM+Profile`, referenceId: `q${i}` });
    const get = (i: number): Sub => ({ method: 'GET', url: `${V}/sobjects/User/describe`, referenceId: `d${i}` });
    const post = (compositeRequest: Sub[]): Promise<Reply> => api.post(`${V}/composite`, { allOrNone: true, compositeRequest });
    const tooMany = await post(Array.from({ length: 26 }, (_, i) => get(i)));
    expect([tooMany.status, restError(tooMany).errorCode]).to.deep.equal([400, 'LIMIT_EXCEEDED']);
    expect((await post(Array.from({ length: 25 }, (_, i) => get(i)))).status).to.equal(200);
    const queries = await post(Array.from({ length: 6 }, (_, i) => query(i)));
    expect([queries.status, restError(queries).errorCode]).to.deep.equal([400, 'LIMIT_EXCEEDED']);
    expect(restError(await post([{ ...get(0), referenceId: '_bad' }])).errorCode).to.equal('INVALID_INPUT');
    expect(restError(await post([get(0), get(0)])).message).to.equal('Duplicate ReferenceId provided in the request: d0');
    expect(restError(await post([{ ...get(0), url: '/sobjects/User/describe' }])).errorCode).to.equal('INVALID_INPUT');
  });

  it('allOrNone true imposes all-or-none on collection subrequests: one failed item rolls the whole composite back', async () => {
    await start();
    const before = snapshot(emu);
    const jane = idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com');
    const record = (setName: string): Record<string, unknown> => ({ attributes: { type: 'PermissionSetAssignment' }, AssigneeId: jane, PermissionSetId: idOf(emu, 'PermissionSet', 'Name', setName) });
    const responses = await composite([
      { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'u', body: newUser({}, integrationProfile()) },
      { method: 'POST', url: `${V}/composite/sobjects`, referenceId: 'grants', body: { allOrNone: false, records: [record('Data_Steward_ViewAll'), record('Marketing_Shared')] } },
    ]);
    expect(responses[0].body).to.deep.equal([{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }]);
    const items = responses[1].body as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>;
    expect(items.map((i) => i.errors[0]?.statusCode)).to.deep.equal(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'DUPLICATE_VALUE']);
    expect(snapshot(emu)).to.equal(before);
  });

  it('query subrequests return one page plus nextRecordsUrl', async () => {
    await start({ seed: { scale: 2500 } });
    const responses = await composite([{ method: 'GET', url: `${V}/query?q=SELECT+Id+FROM+User`, referenceId: 'users' }]);
    const page = responses[0].body as { done: boolean; records: unknown[]; nextRecordsUrl: string };
    expect([page.done, page.records.length]).to.deep.equal([false, 2000]);
    const next = await api.get(page.nextRecordsUrl);
    expect((next.body as { done: boolean }).done).to.equal(true);
  });

  it("mixedDml 'reject': User and assignment writes in one composite fail with MIXED_DML_OPERATION (rolled back)", async () => {
    await start({ mixedDml: 'reject' });
    const before = snapshot(emu);
    const responses = await composite(createUserAndGrants());
    expect(responses.map((r) => (r.body as Array<{ errorCode: string }>)[0].errorCode)).to.deep.equal(['PROCESSING_HALTED', 'MIXED_DML_OPERATION', 'PROCESSING_HALTED']);
    expect((responses[1].body as Array<{ message: string }>)[0].message).to.equal(
      'DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): PermissionSetLicenseAssign, original object: User'
    );
    expect(snapshot(emu)).to.equal(before);
    const assignmentOnly: Sub = {
      method: 'POST',
      url: `${V}/sobjects/PermissionSetAssignment`,
      referenceId: 'psa',
      body: { AssigneeId: idOf(emu, 'User', 'Username', 'legacy.etl@acme.example.com'), PermissionSetId: idOf(emu, 'PermissionSet', 'Name', 'Billing_Sync_Access') },
    };
    const grantsOnly = await composite([assignmentOnly]);
    expect(grantsOnly.map((r) => r.httpStatusCode)).to.deep.equal([201]);
  });
});
