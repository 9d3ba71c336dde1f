import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, newUser, restError, V, type Client } from '../testClient.js';

describe('org emulator: faults, request log and control endpoint', () => {
  let emu: Emulator;
  let api: Client;
  beforeEach(async () => {
    emu = await startEmulator();
    api = client(emu);
  });
  afterEach(() => emu.close());

  const profiles = `${V}/query?q=SELECT+Id+FROM+Profile`;

  it('logs every request: method, decoded path without query, raw query, status, start and duration', async () => {
    emu.resetRequestLog();
    await api.get(`/${profiles}`);
    await api.get(`${V}/sobjects/Nope`);
    expect(emu.requests.map((r) => [r.method, r.path, r.query, r.status])).to.deep.equal([
      ['GET', '/services/data/v62.0/query', 'q=SELECT+Id+FROM+Profile', 200],
      ['GET', '/services/data/v62.0/sobjects/Nope', '', 404],
    ]);
    expect(Date.parse(emu.requests[0].startedAt)).to.be.a('number').and.not.NaN;
    expect(emu.requests[0].durationMs).to.be.at.least(0);
    emu.resetRequestLog();
    expect(emu.requests).to.deep.equal([]);
  });

  it('logs the record writes each request attempted: 0 for reads, one per record in a composite, rolled back ones too', async () => {
    const profileId = idOf(emu, 'Profile', 'Name', 'Standard User');
    const marketing = idOf(emu, 'PermissionSet', 'Name', 'Marketing_Shared');
    emu.resetRequestLog();
    await api.get(profiles);
    const body = (username: string, setId: string) => ({
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'u', body: newUser({ Username: username }, profileId) },
        { method: 'POST', url: `${V}/sobjects/PermissionSetAssignment`, referenceId: 'p', body: { AssigneeId: '@{u.id}', PermissionSetId: setId } },
      ],
    });
    await api.post(`${V}/composite`, body('w1@acme.example.com', marketing));
    await api.post(`${V}/composite`, body('w2@acme.example.com', '0PS000000000000AAA'));
    expect(emu.requests.map((r) => [r.method, r.writes])).to.deep.equal([['GET', 0], ['POST', 2], ['POST', 2]]);
    expect(emu.db.records('User').some((u) => u.Username === 'w2@acme.example.com'), 'rolled back').to.equal(false);
  });

  it('http503: the next matching requests fail with 503, others pass', async () => {
    emu.setFaults({ http503: { count: 2, match: '/query' } });
    expect((await api.get(`${V}/sobjects`)).status).to.equal(200);
    expect((await api.get(profiles)).status).to.equal(503);
    expect((await api.get(profiles)).status).to.equal(503);
    expect((await api.get(profiles)).status).to.equal(200);
  });

  it('requestLimitExceeded: 403 REQUEST_LIMIT_EXCEEDED with a RegExp match', async () => {
    emu.setFaults({ requestLimitExceeded: { count: 1, match: /^POST / } });
    expect((await api.get(profiles)).status).to.equal(200);
    const reply = await api.post(`${V}/sobjects/User`, {});
    expect([reply.status, reply.body]).to.deep.equal([403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]]);
  });

  it('dropConnection: the socket closes without an answer (fetch fails), logged with status 0', async () => {
    emu.setFaults({ dropConnection: { count: 1 } });
    let failure: unknown;
    try {
      await api.get(profiles);
    } catch (e) {
      failure = e;
    }
    expect(failure).to.be.instanceOf(Error);
    expect(emu.requests.at(-1)?.status).to.equal(0);
    expect((await api.get(profiles)).status).to.equal(200);
  });

  it('latencyMs delays every answer; setFaults replaces the active faults', async () => {
    emu.setFaults({ latencyMs: 150 });
    const started = Date.now();
    await api.get(`${V}/sobjects`);
    expect(Date.now() - started).to.be.at.least(140);
    emu.setFaults({});
    const again = Date.now();
    await api.get(`${V}/sobjects`);
    expect(Date.now() - again).to.be.below(140);
  });

  it('failNthWrite: the Nth record write fails with UNKNOWN_EXCEPTION and an allOrNone composite rolls back', async () => {
    const before = emu.db.records('User').length;
    emu.setFaults({ failNthWrite: 2 });
    const profileId = idOf(emu, 'Profile', 'Name', 'Standard User');
    const reply = await api.post(`${V}/composite`, {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'u', body: newUser({ Username: 'a@acme.example.com' }, profileId) },
        { method: 'POST', url: `${V}/sobjects/PermissionSetAssignment`, referenceId: 'p', body: { AssigneeId: '@{u.id}', PermissionSetId: idOf(emu, 'PermissionSet', 'Name', 'Marketing_Shared') } },
      ],
    });
    const [user, psa] = (reply.body as { compositeResponse: Array<{ httpStatusCode: number; body: Array<{ errorCode: string }> }> }).compositeResponse;
    expect([user.body[0].errorCode, psa.httpStatusCode, psa.body[0].errorCode]).to.deep.equal(['PROCESSING_HALTED', 500, 'UNKNOWN_EXCEPTION']);
    expect(emu.db.records('User')).to.have.length(before);
    const retry = await api.post(`${V}/sobjects/User`, newUser({ Username: 'a@acme.example.com' }, profileId));
    expect(retry.status, 'the fault fires once').to.equal(201);
  });

  it('failNthWrite counts plain and collection writes too', async () => {
    emu.setFaults({ failNthWrite: 3 });
    const reply = await api.post(`${V}/sobjects/User`, newUser({}, idOf(emu, 'Profile', 'Name', 'Standard User')));
    expect(reply.status).to.equal(201);
    const jane = idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com');
    const records = ['Data_Steward_ViewAll', 'Sales_User_Extras'].map((name) => ({
      attributes: { type: 'PermissionSetAssignment' },
      AssigneeId: jane,
      PermissionSetId: idOf(emu, 'PermissionSet', 'Name', name),
    }));
    const results = (await api.post(`${V}/composite/sobjects`, { allOrNone: false, records })).body as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>;
    expect(results.map((r) => r.success)).to.deep.equal([true, false]);
    expect(results[1].errors[0].statusCode).to.equal('UNKNOWN_EXCEPTION');
    expect(restError(await api.post(`${V}/sobjects/User`, {})).errorCode, 'fires once').to.equal('REQUIRED_FIELD_MISSING');
  });

  /** The fetch failure of a call whose answer was dropped (undefined when it was answered). */
  async function dropped(call: Promise<unknown>): Promise<unknown> {
    try {
      await call;
      return undefined;
    } catch (e) {
      return e;
    }
  }

  it('dropResponseAfterCommit: the request performing the Nth write commits, then its answer is lost (status 0); once', async () => {
    const profileId = idOf(emu, 'Profile', 'Name', 'Standard User');
    emu.setFaults({ dropResponseAfterCommit: 2 });
    expect((await api.post(`${V}/sobjects/User`, newUser({ Username: 'first@acme.example.com', Alias: 'first' }, profileId))).status).to.equal(201);
    emu.resetRequestLog();
    const failure = await dropped(api.post(`${V}/sobjects/User`, newUser({ Username: 'second@acme.example.com', Alias: 'second' }, profileId)));
    expect(failure).to.be.instanceOf(Error);
    expect(emu.requests.map((r) => [r.method, r.status])).to.deep.equal([['POST', 0]]);
    expect(emu.db.records('User').some((u) => u.Username === 'second@acme.example.com'), 'committed').to.equal(true);
    const third = await api.post(`${V}/sobjects/User`, newUser({ Username: 'third@acme.example.com', Alias: 'third' }, profileId));
    expect(third.status, 'fires once').to.equal(201);
  });

  it('dropResponseAfterCommit: a composite commits all its subrequests before the answer is lost; reads do not count', async () => {
    const profileId = idOf(emu, 'Profile', 'Name', 'Standard User');
    emu.setFaults({ dropResponseAfterCommit: 1 });
    expect((await api.get(profiles)).status).to.equal(200);
    const failure = await dropped(
      api.post(`${V}/composite`, {
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'u', body: newUser({ Username: 'c@acme.example.com' }, profileId) },
          { method: 'POST', url: `${V}/sobjects/PermissionSetAssignment`, referenceId: 'p', body: { AssigneeId: '@{u.id}', PermissionSetId: idOf(emu, 'PermissionSet', 'Name', 'Marketing_Shared') } },
        ],
      })
    );
    expect(failure).to.be.instanceOf(Error);
    const user = emu.db.records('User').find((u) => u.Username === 'c@acme.example.com');
    expect(user, 'user committed').to.not.equal(undefined);
    const marketing = idOf(emu, 'PermissionSet', 'Name', 'Marketing_Shared');
    expect(emu.db.records('PermissionSetAssignment').some((a) => a.AssigneeId === user?.Id && a.PermissionSetId === marketing), 'PSA committed').to.equal(true);
    expect(emu.requests.at(-1)?.status).to.equal(0);
  });

  it('dropResponseAfterCommit counts collection items and works through the control endpoint', async () => {
    expect((await api.post('/__emulator/faults', { dropResponseAfterCommit: 2 })).status).to.equal(200);
    const jane = idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com');
    const records = ['Data_Steward_ViewAll', 'Sales_User_Extras'].map((name) => ({
      attributes: { type: 'PermissionSetAssignment' },
      AssigneeId: jane,
      PermissionSetId: idOf(emu, 'PermissionSet', 'Name', name),
    }));
    expect(await dropped(api.post(`${V}/composite/sobjects`, { allOrNone: true, records }))).to.be.instanceOf(Error);
    const held = emu.db.records('PermissionSetAssignment').filter((a) => a.AssigneeId === jane).length;
    expect(held, 'profile set + Marketing_Shared + the two new ones').to.equal(4);
  });

  it('holdWritesUntilReads: the first write waits, unrun, until another client\'s read was answered; then it runs', async () => {
    const profileId = idOf(emu, 'Profile', 'Name', 'Standard User');
    const users = `${V}/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Username = 'race@acme.example.com'")}`;
    emu.setFaults({ holdWritesUntilReads: { writes: 1, reads: 1 } });
    const order: string[] = [];
    const write = api.post(`${V}/sobjects/User`, newUser({ Username: 'race@acme.example.com', Alias: 'race' }, profileId)).then((r) => {
      order.push('write');
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order, 'held').to.deep.equal([]);
    const read = await api.get(users);
    order.push('read');
    expect((read.body as { totalSize: number }).totalSize, 'the held write has not run').to.equal(0);
    expect((await write).status).to.equal(201);
    expect(order).to.deep.equal(['read', 'write']);
    expect(emu.db.records('User').filter((u) => u.Username === 'race@acme.example.com')).to.have.length(1);
    // Only the first write is held.
    const started = Date.now();
    expect((await api.post(`${V}/sobjects/User`, newUser({ Username: 'next@acme.example.com', Alias: 'next' }, profileId))).status).to.equal(201);
    expect(Date.now() - started).to.be.below(1000);
  });

  it('holdWritesUntilReads: a composite of GETs is a read, a composite with a write is held; match filters the reads', async () => {
    const profileId = idOf(emu, 'Profile', 'Name', 'Standard User');
    expect((await api.post('/__emulator/faults', { holdWritesUntilReads: { reads: 1, match: '/composite' } })).status).to.equal(200);
    let done = false;
    const write = api
      .post(`${V}/composite`, {
        allOrNone: true,
        compositeRequest: [{ method: 'POST', url: `${V}/sobjects/User`, referenceId: 'u', body: newUser({ Username: 'c.race@acme.example.com' }, profileId) }],
      })
      .then((r) => {
        done = true;
        return r;
      });
    await api.get(profiles); // a read that does not match
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done, 'a non-matching read does not release it').to.equal(false);
    const reads = await api.post(`${V}/composite`, {
      allOrNone: false,
      compositeRequest: [{ method: 'GET', url: `${V}/query?q=SELECT+Id+FROM+Profile`, referenceId: 'q' }],
    });
    expect(reads.status, 'a composite of GETs is not held').to.equal(200);
    expect((await write).status).to.equal(200);
    expect(emu.db.records('User').some((u) => u.Username === 'c.race@acme.example.com')).to.equal(true);
  });

  it('holdWritesUntilReads: released by timeoutMs when no read comes, and by setFaults', async () => {
    const profileId = idOf(emu, 'Profile', 'Name', 'Standard User');
    emu.setFaults({ holdWritesUntilReads: { timeoutMs: 200 } });
    const started = Date.now();
    expect((await api.post(`${V}/sobjects/User`, newUser({ Username: 't1@acme.example.com', Alias: 't1' }, profileId))).status).to.equal(201);
    expect(Date.now() - started).to.be.at.least(190);
    emu.setFaults({ holdWritesUntilReads: { writes: 1, timeoutMs: 60_000 } });
    const held = api.post(`${V}/sobjects/User`, newUser({ Username: 't2@acme.example.com', Alias: 't2' }, profileId));
    await new Promise((resolve) => setTimeout(resolve, 100));
    emu.setFaults({});
    expect((await held).status).to.equal(201);
  });

  it('control endpoint: GET /__emulator/requests, POST /__emulator/reset-log and /__emulator/faults (bearer token required)', async () => {
    emu.resetRequestLog();
    await api.get(profiles);
    const log = await api.get('/__emulator/requests');
    expect((log.body as Array<{ path: string }>).map((r) => r.path)).to.deep.equal(['/services/data/v62.0/query']);
    expect((await client(emu, 'wrong').get('/__emulator/requests')).status).to.equal(401);
    expect((await api.post('/__emulator/faults', { http503: { count: 1, match: 'sobjects' } })).status).to.equal(200);
    expect((await api.get(`${V}/sobjects`)).status).to.equal(503);
    expect((await api.post('/__emulator/reset-log', {})).status).to.equal(200);
    expect(emu.requests).to.deep.equal([]);
  });
});
