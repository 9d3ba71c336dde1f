import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, restError, V, type Client } from '../testClient.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00Z');
const q = (soql: string): string => `${V}/query?q=${encodeURIComponent(soql)}`;

describe('org emulator: loginsPerUser (login volume)', () => {
  let emu: Emulator;
  let plain: Emulator;
  let api: Client;
  before(async () => {
    emu = await startEmulator({ loginsPerUser: 200, now: NOW });
    plain = await startEmulator({ now: NOW });
    api = client(emu);
  });
  after(async () => {
    await emu.close();
    await plain.close();
  });

  const countFor = async (username: string): Promise<number> =>
    (await api.query(`SELECT COUNT() FROM LoginHistory WHERE UserId = '${idOf(emu, 'User', 'Username', username)}'`)).totalSize;
  const seeded = (username: string): number => {
    const id = idOf(plain, 'User', 'Username', username);
    return plain.db.records('LoginHistory').filter((l) => l.UserId === id).length;
  };

  it('integration users get N more rows, humans N/10, inactive and long-unused users none', async () => {
    for (const name of ['billing.sync', 'shared.connector', 'erp.integration', 'reporting.api']) {
      expect(await countFor(`${name}@acme.example.com`), name).to.equal(seeded(`${name}@acme.example.com`) + 200);
    }
    for (const name of ['jane.doe', 'priya.patel', 'admin']) expect(await countFor(`${name}@acme.example.com`), name).to.equal(seeded(`${name}@acme.example.com`) + 20);
    for (const name of ['old.integration', 'legacy.etl']) expect(await countFor(`${name}@acme.example.com`), name).to.equal(seeded(`${name}@acme.example.com`));
  });

  it('spreads them over the 90 days up to the user\'s last login, in the kinds of login it already has', async () => {
    const warehouse = idOf(emu, 'User', 'Username', 'warehouse.sync@acme.example.com');
    const lastLogin = Date.parse(String(emu.db.byId(warehouse)?.record.LastLoginDate));
    const rows = emu.db.records('LoginHistory').filter((l) => l.UserId === warehouse);
    const times = rows.map((l) => Date.parse(String(l.LoginTime)));
    expect(Math.max(...times)).to.be.at.most(lastLogin);
    expect(Math.min(...times)).to.be.at.least(NOW.getTime() - 90 * DAY);
    expect(new Set(rows.map((l) => l.Application))).to.deep.equal(new Set(['Warehouse Sync']));
    const shared = idOf(emu, 'User', 'Username', 'shared.connector@acme.example.com');
    // Application is Group and Sort (not Filter) in the Object Reference
    const apps = await api.query(`SELECT Application, COUNT(Id) n FROM LoginHistory WHERE UserId = '${shared}' GROUP BY Application ORDER BY Application DESC`);
    expect(apps.records.map((r) => r.Application)).to.deep.equal(['Zapier', 'Workato', 'Browser']);
  });

  it('is deterministic, has unique Ids that resolve, and is read-only like every LoginHistory row', async () => {
    const again = await startEmulator({ loginsPerUser: 200, now: NOW });
    try {
      const a = emu.db.records('LoginHistory');
      const b = again.db.records('LoginHistory');
      expect(b).to.deep.equal(a);
      expect(new Set(a.map((r) => r.Id)).size).to.equal(a.length);
      const last = a[a.length - 1];
      const reply = await api.get(`${V}/sobjects/LoginHistory/${last.Id}`);
      expect(reply.status).to.equal(200);
      expect(reply.body).to.include({ Id: last.Id, UserId: last.UserId });
    } finally {
      await again.close();
    }
  });

  it('pages plain queries over the volume like any other rows', async () => {
    const reply = await api.get(q('SELECT Id, UserId, LoginTime FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:90'), { 'sforce-query-options': 'batchSize=200' });
    const first = reply.body as { totalSize: number; nextRecordsUrl: string; records: Array<Record<string, unknown>> };
    expect(first.totalSize).to.be.greaterThan(1000);
    expect(first.records).to.have.length(200);
    const second = (await api.get(first.nextRecordsUrl)).body as { records: Array<Record<string, unknown>> };
    const ids = [...first.records, ...second.records].map((r) => r.Id);
    expect(new Set(ids).size).to.equal(400);
  });

  it('a running user without Manage Users / Monitor Login History sees only its own volume', async () => {
    const standard = await startEmulator({ loginsPerUser: 200, now: NOW, runningUser: 'standard' });
    try {
      const rows = await client(standard).query('SELECT UserId, COUNT(Id) n FROM LoginHistory GROUP BY UserId');
      expect(rows.records).to.have.length(1);
      expect(rows.records[0].UserId).to.equal(idOf(standard, 'User', 'Username', standard.username));
    } finally {
      await standard.close();
    }
  });

  it('rejects a negative or fractional count', async () => {
    for (const bad of [-1, 2.5]) {
      let error: unknown;
      try {
        await startEmulator({ loginsPerUser: bad });
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.match(/loginsPerUser must be a non-negative integer/);
    }
  });

  it('scale:2000 with 500 per user builds in seconds, stays small, and answers aggregates over every row', async function () {
    this.timeout(120_000);
    const before = process.memoryUsage().heapUsed;
    const started = Date.now();
    const big = await startEmulator({ seed: { scale: 2000 }, loginsPerUser: 500, now: NOW });
    try {
      expect(Date.now() - started).to.be.below(30_000);
      const rows = big.db.count('LoginHistory');
      expect(rows).to.be.greaterThan(100_000);
      expect(process.memoryUsage().heapUsed - before).to.be.below(250 * 1024 * 1024);
      const bigApi = client(big);
      const total = (await bigApi.query('SELECT COUNT() FROM LoginHistory')).totalSize;
      expect(total).to.equal(rows);
      const perUser = await bigApi.query(
        "SELECT UserId, MAX(LoginTime) lastLogin, COUNT(Id) n FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:90 AND UserId IN (SELECT Id FROM User WHERE Username LIKE 'integration.%') GROUP BY UserId"
      );
      expect(perUser.records.length).to.be.greaterThan(100).and.at.most(2000);
      expect(perUser.records.reduce((n, r) => n + Number(r.n), 0)).to.be.greaterThan(perUser.records.length * 100);
    } finally {
      await big.close();
    }
  });
});

describe('org emulator: aggregate SOQL rules', () => {
  let emu: Emulator;
  let api: Client;
  before(async () => {
    emu = await startEmulator({ seed: { scale: 2500 }, now: NOW });
    api = client(emu);
  });
  after(() => emu.close());

  const failure = async (soql: string): Promise<{ errorCode: string; message: string }> => {
    const reply = await api.get(q(soql));
    expect(reply.status, soql).to.equal(400);
    return restError(reply);
  };

  it('MAX / MIN / COUNT / COUNT_DISTINCT with GROUP BY: AggregateResult rows, aliases and expr0…', async () => {
    const billing = idOf(emu, 'User', 'Username', 'billing.sync@acme.example.com');
    const result = await api.query(
      `SELECT UserId, Application, MAX(LoginTime), MIN(LoginTime) first, COUNT(Id), COUNT_DISTINCT(LoginType) FROM LoginHistory WHERE UserId = '${billing}' GROUP BY UserId, Application`
    );
    const rows = emu.db.records('LoginHistory').filter((l) => l.UserId === billing);
    const times = rows.map((l) => Date.parse(String(l.LoginTime)));
    expect(result.records).to.deep.equal([
      {
        attributes: { type: 'AggregateResult' },
        UserId: billing,
        Application: 'Billing Sync',
        expr0: new Date(Math.max(...times)).toISOString().replace('Z', '+0000'),
        first: new Date(Math.min(...times)).toISOString().replace('Z', '+0000'),
        expr1: rows.length,
        expr2: 1,
      },
    ]);
  });

  it('without GROUP BY: one row, nulls when nothing matches; COUNT() is a count without rows', async () => {
    const none = await api.query("SELECT MAX(LoginTime) last, COUNT(Id) n FROM LoginHistory WHERE LoginType = 'Nope'");
    expect(none.records).to.deep.equal([{ attributes: { type: 'AggregateResult' }, last: null, n: 0 }]);
    expect(await api.query('SELECT COUNT() FROM LoginHistory')).to.include({ totalSize: emu.db.count('LoginHistory'), done: true });
  });

  it('more than 2,000 groups: EXCEEDED_ID_LIMIT (no query locator for aggregates); LIMIT brings it back', async () => {
    const soql = 'SELECT UserId, COUNT(Id) FROM LoginHistory GROUP BY UserId';
    expect(await failure(soql)).to.deep.equal({
      errorCode: 'EXCEEDED_ID_LIMIT',
      message: 'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
    });
    const limited = await api.query(`${soql} LIMIT 2000`);
    expect(limited).to.include({ totalSize: 2000, done: true });
    expect(limited.nextRecordsUrl).to.equal(undefined);
    // a smaller batch size does not page aggregate rows either
    const small = (await api.get(q(`${soql} LIMIT 700`), { 'sforce-query-options': 'batchSize=200' })).body as { done: boolean; records: unknown[]; nextRecordsUrl?: string };
    expect([small.done, small.records.length, small.nextRecordsUrl]).to.deep.equal([true, 700, undefined]);
  });

  it('only groupable fields in GROUP BY; aggregate functions only on the types they support', async () => {
    const soql = 'SELECT COUNT(Id) FROM LoginHistory GROUP BY LoginTime';
    const grouped = await failure(soql);
    expect(grouped.errorCode).to.equal('INVALID_FIELD');
    const [, excerpt, caret, position, reason] = grouped.message.split('\n');
    expect(soql.endsWith(excerpt)).to.equal(true);
    expect(excerpt.slice(caret.indexOf('^'))).to.equal('LoginTime');
    expect([position, reason]).to.deep.equal([`ERROR at Row:1:Column:${soql.lastIndexOf('LoginTime') + 1}`, "field 'LoginTime' can not be grouped in a query call"]);
    expect((await failure('SELECT PermissionsViewSetup, COUNT(Id) FROM UserPermissionAccess GROUP BY PermissionsViewSetup')).message).to.match(
      /field 'PermissionsViewSetup' can not be grouped in a query call$/
    );
    const max = await failure('SELECT MAX(IsActive) FROM User');
    expect(max).to.deep.equal({
      errorCode: 'MALFORMED_QUERY',
      message: '\nSELECT MAX(IsActive) FROM User\n           ^\nERROR at Row:1:Column:12\nfield IsActive does not support aggregate operator MAX',
    });
    expect((await failure('SELECT SUM(Username) FROM User')).message).to.match(/field Username does not support aggregate operator SUM$/);
    expect((await failure('SELECT UserId, MAX(LoginTime) FROM LoginHistory GROUP BY Application')).message).to.match(/Field must be grouped or aggregated: UserId$/);
  });

  it('grouping by fields that are not filterable (Application, Status) works, filtering on them does not', async () => {
    const apps = await api.query('SELECT Application, Status, COUNT(Id) FROM LoginHistory GROUP BY Application, Status LIMIT 2000');
    expect(apps.records.length).to.be.greaterThan(3);
    expect((await failure("SELECT COUNT() FROM LoginHistory WHERE Application = 'Browser'")).message).to.match(/field 'Application' can not be filtered in a query call$/);
  });

  it('reports the first unknown column in query order (SELECT before GROUP BY)', async () => {
    expect((await failure('SELECT Nope, COUNT(Id) FROM LoginHistory GROUP BY Nada')).message).to.match(/No such column 'Nope' on entity 'LoginHistory'\./);
    expect((await failure('SELECT MAX(Nope) FROM LoginHistory')).message).to.match(/Column:12\nNo such column 'Nope' on entity 'LoginHistory'\./);
  });
});
