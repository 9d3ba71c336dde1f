import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { connectTo } from '../helpers/connection.js';
import {
  collection,
  isUncertain,
  MAX_CONCURRENT_REQUESTS,
  MAX_QUERIES_PER_COMPOSITE,
  RequestError,
  requestErrorToSfError,
  runQueries,
  streamQueries,
} from '../../src/shared/api.js';

const FAST_RETRY = { attempts: 4, baseDelayMs: 1 };
const PAGE = 2000;

/** Counts how many conn.request calls are in flight at once (no timing involved). */
function countInFlight(conn: Connection): { max: () => number } {
  let inFlight = 0;
  let max = 0;
  const original = conn.request.bind(conn);
  (conn as unknown as { request: unknown }).request = async (...args: Parameters<Connection['request']>): Promise<unknown> => {
    inFlight++;
    max = Math.max(max, inFlight);
    try {
      return await original(...args);
    } finally {
      inFlight--;
    }
  };
  return { max: () => max };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  const outcome = await p.then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error })
  );
  expect(outcome.ok, 'expected a rejection').to.equal(false);
  return outcome.ok ? undefined : outcome.error;
}

describe('api: concurrent cursors (emulator, scale seed)', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let users: number;
  let assignments: number;
  const queries = [
    ...Array.from({ length: 6 }, (_, i) => `SELECT Id FROM User WHERE CreatedDate != ${2000 + i}-01-01T00:00:00Z ORDER BY Id`),
    ...Array.from({ length: 6 }, () => 'SELECT Id, AssigneeId FROM PermissionSetAssignment'),
  ];
  const pagesOf = (rows: number): number => Math.max(1, Math.ceil(rows / PAGE));

  before(async () => {
    emu = await startEmulator({ seed: { scale: 5000 } });
    users = emu.db.records('User').length;
    assignments = emu.db.records('PermissionSetAssignment').length;
  });
  after(async () => {
    await emu?.close();
  });

  it('makes exactly the serial request count (one composite per 5 queries + one per extra page), a few requests at a time', async () => {
    expect(users, 'paging must be exercised').to.be.greaterThan(2 * PAGE);
    const conn = await connectTo(emu, '62.0');
    const inFlight = countInFlight(conn);
    emu.resetRequestLog();
    const outcomes = await runQueries<{ Id: string }>(conn, queries, FAST_RETRY);
    const composites = Math.ceil(queries.length / MAX_QUERIES_PER_COMPOSITE);
    const extraPages = 6 * (pagesOf(users) - 1) + 6 * (pagesOf(assignments) - 1);
    expect(emu.requests.filter((r) => r.path.endsWith('/composite'))).to.have.length(composites);
    expect(emu.requests).to.have.length(composites + extraPages);
    expect(emu.requests.every((r) => r.status === 200)).to.equal(true);
    // concurrent, but never more than the limit
    expect(inFlight.max()).to.equal(MAX_CONCURRENT_REQUESTS);
    // every query gets all its rows, in order (pages of one cursor are followed one after the other)
    for (const [i, outcome] of outcomes.entries()) {
      expect(outcome.ok).to.equal(true);
      const records = outcome.ok ? outcome.records : [];
      expect(records).to.have.length(i < 6 ? users : assignments);
      if (i < 6) expect(records.map((r) => r.Id)).to.deep.equal(records.map((r) => r.Id).sort());
    }
  });

  it('hands each query its pages in order through streamQueries, outcomes in query order', async () => {
    const conn = await connectTo(emu, '62.0');
    const seen: string[][] = queries.map(() => []);
    const outcomes = await streamQueries<{ Id: string }>(conn, [...queries, 'SELECT Nope FROM User'], (i, rows) => void seen[i].push(...rows.map((r) => r.Id)), FAST_RETRY);
    expect(outcomes.slice(0, 12).map((o) => (o.ok ? o.rowCount : -1))).to.deep.equal([...Array<number>(6).fill(users), ...Array<number>(6).fill(assignments)]);
    expect(outcomes[12]).to.deep.include({ ok: false });
    expect(outcomes[12].ok ? '' : outcomes[12].error.errorCode).to.equal('INVALID_FIELD');
    expect(seen[0]).to.deep.equal([...seen[0]].sort());
  });

  it('streamQueries calls onDone once per query as soon as it is complete, before the call resolves', async () => {
    const conn = await connectTo(emu, '62.0');
    const small = 'SELECT Id FROM PermissionSetLicense';
    const done: Array<[number, number]> = [];
    let pagesAfterSmallDone = 0;
    const outcomes = await streamQueries<{ Id: string }>(
      conn,
      [queries[0], small, 'SELECT Nope FROM User'],
      (i) => {
        if (i === 0 && done.some(([index]) => index === 1)) pagesAfterSmallDone++;
      },
      FAST_RETRY,
      (i, outcome) => done.push([i, outcome.ok ? outcome.rowCount : -1])
    );
    // the one-page query is reported done while the large one still has pages to come
    expect(pagesAfterSmallDone).to.be.greaterThan(0);
    expect([...done].sort((a, b) => a[0] - b[0])).to.deep.equal(outcomes.map((o, i) => [i, o.ok ? o.rowCount : -1]));
    expect(done.map(([i]) => i).sort()).to.deep.equal([0, 1, 2]);
  });

  it('retries a dropped page request and still returns every row (one extra request)', async () => {
    const conn = await connectTo(emu, '62.0');
    emu.resetRequestLog();
    emu.setFaults({ dropConnection: { count: 1, match: /\/query\/[^/]+$/ } });
    const outcomes = await runQueries(conn, queries.slice(0, 2), FAST_RETRY);
    emu.setFaults({});
    expect(outcomes.map((o) => (o.ok ? o.records.length : -1))).to.deep.equal([users, users]);
    expect(emu.requests.filter((r) => r.status === 0)).to.have.length(1);
    expect(emu.requests).to.have.length(1 + 2 * (pagesOf(users) - 1) + 1);
  });

  it('a page that never answers fails the read with an uncertain-answer error, after the retries', async () => {
    const conn = await connectTo(emu, '62.0');
    emu.setFaults({ dropConnection: { count: 100, match: /\/query\/[^/]+$/ } });
    const error = await rejection(runQueries(conn, queries.slice(0, 1), FAST_RETRY));
    emu.setFaults({});
    expect((error as Error).name).to.equal('ServiceUnavailableError');
    expect((error as Error).message).to.equal('The org did not answer (UND_ERR_SOCKET) after 4 attempts.');
    expect(isUncertain(error)).to.equal(true);
  });
});

describe('api: isUncertain', () => {
  let emu: Emulator;
  let conn: Connection;
  let userId: string;

  before(async () => {
    emu = await startEmulator({ seed: 'default' });
    conn = await connectTo(emu, '62.0');
    userId = String(emu.db.records('User').find((u) => String(u.Username).startsWith('jane.doe@'))?.Id);
  });
  after(async () => {
    await emu?.close();
  });

  const title = (): unknown => emu.db.records('User').find((u) => u.Id === userId)?.Title;
  const patch = (value: string): Promise<unknown> => collection(conn, 'PATCH', [{ attributes: { type: 'User' }, Id: userId, Title: value }], { allOrNone: true });

  it('a write whose answer was lost after it committed is uncertain (and the org does hold it)', async () => {
    emu.setFaults({ dropResponseAfterCommit: 1 });
    const error = await rejection(patch('Committed'));
    emu.setFaults({});
    expect(error).to.be.instanceOf(RequestError);
    expect(isUncertain(error)).to.equal(true);
    expect(title()).to.equal('Committed');
  });

  it('a platform error body is definite: UNKNOWN_EXCEPTION (500) rolls the write back', async () => {
    emu.setFaults({ failNthWrite: 1 });
    const items = (await patch('Rolled back')) as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>;
    emu.setFaults({});
    // sObject Collections answer per record: the platform said no
    expect(items[0].success).to.equal(false);
    expect(title()).to.not.equal('Rolled back');
    const raw = await rejection(conn.request({ method: 'GET', url: `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Nope FROM User')}` }));
    expect(isUncertain(raw)).to.equal(false);
  });

  it('classifies network codes, jsforce HTTP codes and SfError causes', () => {
    expect(isUncertain(new RequestError('ERROR_HTTP_503', '<html>'))).to.equal(true);
    expect(isUncertain(new RequestError('ERROR_HTTP_404', 'not found'))).to.equal(false);
    expect(isUncertain(new RequestError('ECONNREFUSED', 'refused'))).to.equal(false);
    expect(isUncertain(new RequestError('ETIMEDOUT', 'timeout'))).to.equal(true);
    expect(isUncertain(Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }))).to.equal(true);
    expect(isUncertain(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }))).to.equal(false);
    expect(isUncertain({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'no' })).to.equal(false);
    expect(isUncertain(new Error('something odd'))).to.equal(true);
    expect(isUncertain(requestErrorToSfError(conn, new RequestError('UND_ERR_SOCKET', 'other side closed')))).to.equal(true);
    expect(isUncertain(requestErrorToSfError(conn, new RequestError('INVALID_SESSION_ID', 'expired')))).to.equal(false);
  });
});
