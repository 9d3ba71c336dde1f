import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, newUser, restError, V, type Client, type Reply } from '../testClient.js';

type Node = { method: string; url: string; referenceId: string; body?: unknown };
type NodeResult = { body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string };
type GraphResult = { graphId: string; graphResponse: { compositeResponse: NodeResult[] }; isSuccessful: boolean };

describe('org emulator: composite graph', () => {
  let emu: Emulator;
  let api: Client;
  beforeEach(async () => {
    emu = await startEmulator({ integrationLicenses: 20 });
    api = client(emu);
  });
  afterEach(() => emu.close());

  const graph = (graphs: Array<{ graphId: string; compositeRequest: Node[] }>): Promise<Reply> => api.post(`${V}/composite/graph`, { graphs });
  const results = (reply: Reply): GraphResult[] => {
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    return (reply.body as { graphs: GraphResult[] }).graphs;
  };
  const profile = (): string => idOf(emu, 'Profile', 'Name', 'Minimum Access - API Only Integrations');
  const apiPsl = (): string => idOf(emu, 'PermissionSetLicense', 'DeveloperName', 'SalesforceAPIIntegrationPsl');
  const set = (name: string): string => idOf(emu, 'PermissionSet', 'Name', name);
  /** One integration's graph: user, its API PSL, one set (by name). */
  const integration = (graphId: string, username: string, setName: string): { graphId: string; compositeRequest: Node[] } => ({
    graphId,
    compositeRequest: [
      { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'user', body: newUser({ Username: username, Alias: username.slice(0, 8), CommunityNickname: username.split('@')[0] }, profile()) },
      { method: 'POST', url: `${V}/sobjects/PermissionSetLicenseAssign`, referenceId: 'psl', body: { AssigneeId: '@{user.id}', PermissionSetLicenseId: apiPsl() } },
      { method: 'POST', url: `${V}/sobjects/PermissionSetAssignment`, referenceId: 'psa', body: { AssigneeId: '@{user.id}', PermissionSetId: set(setName) } },
    ],
  });
  const userNamed = (username: string): Record<string, unknown> | undefined => emu.db.records('User').find((u) => u.Username === username);

  it('runs several graphs in one request; each commits on its own; the answer is {graphs: [{graphId, graphResponse: {compositeResponse}, isSuccessful}]}', async () => {
    emu.resetRequestLog();
    const [a, b] = results(await graph([integration('g1', 'one@acme.example.com', 'Billing_Sync_Access'), integration('g2', 'two@acme.example.com', 'Marketing_Shared')]));
    expect([a.graphId, a.isSuccessful, b.graphId, b.isSuccessful]).to.deep.equal(['g1', true, 'g2', true]);
    expect(a.graphResponse.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).to.deep.equal([['user', 201], ['psl', 201], ['psa', 201]]);
    const user = a.graphResponse.compositeResponse[0];
    expect(user.body).to.deep.include({ success: true, errors: [] });
    expect(user.httpHeaders.Location).to.match(/^\/services\/data\/v62\.0\/sobjects\/User\/005/);
    expect(userNamed('one@acme.example.com')).to.not.equal(undefined);
    expect(userNamed('two@acme.example.com')).to.not.equal(undefined);
    expect(emu.requests).to.have.length(1);
  });

  it('a failed graph rolls back alone: its failing node carries the error, every other node PROCESSING_HALTED; the other graphs commit', async () => {
    const [ok, bad, ok2] = results(
      await graph([
        integration('good', 'good@acme.example.com', 'Billing_Sync_Access'),
        integration('bad', 'bad@acme.example.com', 'Sales_User_Extras'), // another user license: FIELD_INTEGRITY_EXCEPTION on the PSA
        integration('good2', 'good2@acme.example.com', 'Marketing_Shared'),
      ])
    );
    expect([ok.isSuccessful, bad.isSuccessful, ok2.isSuccessful]).to.deep.equal([true, false, true]);
    const codes = bad.graphResponse.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode, (r.body as Array<{ errorCode: string }>)[0].errorCode]);
    expect(codes).to.deep.equal([['user', 400, 'PROCESSING_HALTED'], ['psl', 400, 'PROCESSING_HALTED'], ['psa', 400, 'FIELD_INTEGRITY_EXCEPTION']]);
    expect((bad.graphResponse.compositeResponse[0].body as Array<{ message: string }>)[0].message).to.equal(
      'The transaction was rolled back since another operation in the same transaction failed.'
    );
    expect(userNamed('bad@acme.example.com'), 'nothing of the failed graph is left').to.equal(undefined);
    expect([userNamed('good@acme.example.com'), userNamed('good2@acme.example.com')].every(Boolean)).to.equal(true);
  });

  it('GET / PATCH / DELETE by Id and references across nodes of the same graph; an unresolvable reference fails its graph', async () => {
    const jane = idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com');
    const [read, broken] = results(
      await graph([
        {
          graphId: 'read',
          compositeRequest: [
            { method: 'GET', url: `${V}/sobjects/User/${jane}?fields=Id,Email`, referenceId: 'jane' },
            { method: 'PATCH', url: `${V}/sobjects/User/@{jane.Id}`, referenceId: 'upd', body: { Title: 'Marketing' } },
          ],
        },
        { graphId: 'broken', compositeRequest: [{ method: 'PATCH', url: `${V}/sobjects/User/${jane}`, referenceId: 'x', body: { Department: '@{nobody.id}' } }] },
      ])
    );
    expect(read.isSuccessful).to.equal(true);
    expect(read.graphResponse.compositeResponse.map((r) => r.httpStatusCode)).to.deep.equal([200, 204]);
    expect(emu.db.byId(jane)?.record.Title).to.equal('Marketing');
    expect(broken.isSuccessful).to.equal(false);
    expect((broken.graphResponse.compositeResponse[0].body as Array<{ errorCode: string }>)[0].errorCode).to.equal('PROCESSING_HALTED');
    expect(emu.db.byId(jane)?.record.Department).to.equal(null);
  });

  it('payload rules answer 400 for the whole request: only sObject nodes, case-sensitive methods, referenceIds, graphIds, limits', async () => {
    const node = (over: Partial<Node> = {}): Node => ({ method: 'GET', url: `${V}/sobjects/User/${idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com')}`, referenceId: 'r', ...over });
    const refused = async (graphs: unknown, code: string, message: RegExp): Promise<void> => {
      const reply = await api.post(`${V}/composite/graph`, { graphs });
      expect(reply.status, JSON.stringify(reply.body)).to.equal(400);
      expect(restError(reply).errorCode).to.equal(code);
      expect(restError(reply).message).to.match(message);
    };
    await refused([{ graphId: 'q', compositeRequest: [node({ url: `${V}/query?q=SELECT+Id+FROM+User` })] }], 'INVALID_INPUT', /isn't supported in a composite graph/);
    await refused([{ graphId: 'c', compositeRequest: [node({ method: 'POST', url: `${V}/composite/sobjects` })] }], 'INVALID_INPUT', /isn't supported/);
    await refused([{ graphId: 'p', compositeRequest: [node({ method: 'POST' })] }], 'INVALID_INPUT', /isn't supported/);
    await refused([{ graphId: 'm', compositeRequest: [node({ method: 'get' })] }], 'INVALID_INPUT', /case-sensitive/);
    await refused([{ graphId: 'r', compositeRequest: [node({ referenceId: '_bad' })] }], 'INVALID_INPUT', /Invalid referenceId/);
    await refused([{ graphId: 'd', compositeRequest: [node(), node()] }], 'INVALID_INPUT', /Duplicate ReferenceId/);
    await refused([{ graphId: 'same', compositeRequest: [node()] }, { graphId: 'same', compositeRequest: [node()] }], 'INVALID_INPUT', /Duplicate graphId/);
    await refused(Array.from({ length: 76 }, (_, i) => ({ graphId: `g${i}`, compositeRequest: [node()] })), 'LIMIT_EXCEEDED', /more than 75 graphs/);
    await refused([{ graphId: 'big', compositeRequest: Array.from({ length: 501 }, (_, i) => node({ referenceId: `n${i}` })) }], 'LIMIT_EXCEEDED', /more than 500 nodes; it has 501/);
    await refused(
      Array.from({ length: 2 }, (_, g) => ({ graphId: `g${g}`, compositeRequest: Array.from({ length: 251 }, (_, i) => node({ referenceId: `n${i}` })) })),
      'LIMIT_EXCEEDED',
      /more than 500 nodes in all; it has 502/
    );
    const chain = Array.from({ length: 16 }, (_, i) => node({ referenceId: `n${i}`, url: i === 0 ? node().url : `${V}/sobjects/User/@{n${i - 1}.Id}` }));
    await refused([{ graphId: 'deep', compositeRequest: chain }], 'LIMIT_EXCEEDED', /16 nodes deep; the maximum depth of a graph is 15/);
    const versions = Array.from({ length: 16 }, (_, i) => node({ referenceId: `n${i}`, url: `/services/data/v${40 + i}.0/sobjects/User/${idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com')}` }));
    await refused([{ graphId: 'wide', compositeRequest: versions }], 'LIMIT_EXCEEDED', /more than 15 different nodes/);
    expect((await api.get(`${V}/composite/graph`)).status).to.equal(405);
  });

  it('after more than 14 failed graphs the remaining graphs are not run (PROCESSING_HALTED)', async () => {
    const failing = (i: number): { graphId: string; compositeRequest: Node[] } => ({
      graphId: `f${i}`,
      compositeRequest: [{ method: 'POST', url: `${V}/sobjects/PermissionSetAssignment`, referenceId: 'a', body: { AssigneeId: idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com') } }],
    });
    const graphs = [...Array.from({ length: 15 }, (_, i) => failing(i)), integration('late', 'late@acme.example.com', 'Billing_Sync_Access')];
    const out = results(await graph(graphs));
    expect(out.filter((g) => !g.isSuccessful)).to.have.length(16);
    const late = out[15].graphResponse.compositeResponse;
    expect(late.map((r) => (r.body as Array<{ errorCode: string }>)[0].errorCode)).to.deep.equal(['PROCESSING_HALTED', 'PROCESSING_HALTED', 'PROCESSING_HALTED']);
    expect(userNamed('late@acme.example.com')).to.equal(undefined);
  });

  it('mixed DML is judged per graph (mixedDml reject: a graph writing a User and its assignments fails; one per graph passes)', async () => {
    await emu.close();
    emu = await startEmulator({ integrationLicenses: 20, mixedDml: 'reject' });
    api = client(emu);
    const [mixed] = results(await graph([integration('mixed', 'mixed@acme.example.com', 'Billing_Sync_Access')]));
    expect(mixed.isSuccessful).to.equal(false);
    expect(mixed.graphResponse.compositeResponse.map((r) => (r.body as Array<{ errorCode: string }>)[0]?.errorCode)).to.include('MIXED_DML_OPERATION');
    expect(userNamed('mixed@acme.example.com')).to.equal(undefined);
    const [users, grants] = results(
      await graph([
        { graphId: 'users', compositeRequest: [integration('x', 'split@acme.example.com', 'Billing_Sync_Access').compositeRequest[0]] },
        { graphId: 'grants', compositeRequest: [{ method: 'POST', url: `${V}/sobjects/PermissionSetLicenseAssign`, referenceId: 'psl', body: { AssigneeId: idOf(emu, 'User', 'Username', 'legacy.etl@acme.example.com'), PermissionSetLicenseId: apiPsl() } }] },
      ])
    );
    expect([users.isSuccessful, grants.isSuccessful]).to.deep.equal([true, false]); // legacy.etl holds the PSL already: DUPLICATE_VALUE
    expect((grants.graphResponse.compositeResponse[0].body as Array<{ errorCode: string }>)[0].errorCode).to.equal('DUPLICATE_VALUE');
  });

  it('faults apply: failNthWrite fails a node and rolls its graph back; dropResponseAfterCommit commits every graph and loses the answer', async () => {
    emu.setFaults({ failNthWrite: 2 });
    const [first, second] = results(await graph([integration('a', 'fa@acme.example.com', 'Billing_Sync_Access'), integration('b', 'fb@acme.example.com', 'Billing_Sync_Access')]));
    expect([first.isSuccessful, second.isSuccessful]).to.deep.equal([false, true]);
    expect(first.graphResponse.compositeResponse[1].httpStatusCode).to.equal(500);
    expect([userNamed('fa@acme.example.com'), Boolean(userNamed('fb@acme.example.com'))]).to.deep.equal([undefined, true]);

    emu.setFaults({ dropResponseAfterCommit: 1 });
    let failure: unknown;
    try {
      await graph([integration('c', 'fc@acme.example.com', 'Billing_Sync_Access'), integration('d', 'fd@acme.example.com', 'Billing_Sync_Access')]);
    } catch (e) {
      failure = e;
    }
    expect(failure).to.be.instanceOf(Error);
    expect(emu.requests.at(-1)?.status).to.equal(0);
    expect([userNamed('fc@acme.example.com'), userNamed('fd@acme.example.com')].every(Boolean), 'both graphs committed').to.equal(true);
  });
});
