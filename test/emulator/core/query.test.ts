import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, restError, V, type Client } from '../testClient.js';

type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> };

describe('org emulator: query and pagination', () => {
  let emu: Emulator;
  let api: Client;
  before(async () => {
    emu = await startEmulator({ seed: { scale: 3000 } });
    api = client(emu);
  });
  after(() => emu.close());

  const page = async (path: string, headers?: Record<string, string>): Promise<Page> => {
    const reply = await api.get(path, headers);
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    return reply.body as Page;
  };
  const all = async (first: Page): Promise<{ pages: Page[]; rows: number }> => {
    const pages = [first];
    while (!pages[pages.length - 1].done) pages.push(await page(String(pages[pages.length - 1].nextRecordsUrl)));
    return { pages, rows: pages.reduce((n, p) => n + p.records.length, 0) };
  };

  it('pages of 2000 rows with nextRecordsUrl (query and query/), the last page done', async () => {
    const users = emu.db.records('User').length;
    for (const path of [`${V}/query?q=SELECT+Id+FROM+User`, `${V}/query/?q=SELECT+Id+FROM+User`]) {
      const first = await page(path);
      expect([first.totalSize, first.done, first.records.length]).to.deep.equal([users, false, 2000]);
      expect(first.nextRecordsUrl).to.match(/^\/services\/data\/v62\.0\/query\/01g\w{15}-2000$/);
      const { pages, rows } = await all(first);
      expect([pages.length, rows]).to.deep.equal([2, users]);
      expect(pages[1].nextRecordsUrl).to.equal(undefined);
    }
  });

  it('honours Sforce-Query-Options batchSize (200–2000, clamped)', async () => {
    expect((await page(`${V}/query?q=SELECT+Id+FROM+User`, { 'Sforce-Query-Options': 'batchSize=500' })).records).to.have.length(500);
    expect((await page(`${V}/query?q=SELECT+Id+FROM+User`, { 'Sforce-Query-Options': 'batchSize=50' })).records).to.have.length(200);
  });

  it('queryAll pages the same way', async () => {
    const first = await page(`${V}/queryAll?q=SELECT+Id+FROM+User`);
    expect(first.records).to.have.length(2000);
  });

  it('an unknown query locator → 400 INVALID_QUERY_LOCATOR', async () => {
    const reply = await api.get(`${V}/query/01g000000000zzzAAA-2000`);
    expect([reply.status, restError(reply)]).to.deep.equal([400, { errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }]);
  });

  it('SOQL errors come back as REST errors (400 with errorCode)', async () => {
    const reply = await api.get(`${V}/query?q=${encodeURIComponent('SELECT Id FROM LoginHistory WHERE Application = \'x\'')}`);
    expect(reply.status).to.equal(400);
    expect(restError(reply).errorCode).to.equal('INVALID_FIELD');
    expect((await api.get(`${V}/query`)).status).to.equal(400);
  });

  it('OauthToken: 500 rows a page and at most 2,500 rows in all', async () => {
    const userId = emu.db.records('User')[0].Id;
    for (let i = 0; i < 3000; i++) emu.db.insert('OauthToken', { UserId: userId, AppName: `App ${i}`, UseCount: 1, LastUsedDate: new Date().toISOString() });
    expect(emu.db.records('OauthToken').length).to.be.greaterThan(3000);
    const first = await page(`${V}/query?q=SELECT+Id,AppName+FROM+OauthToken`);
    expect([first.totalSize, first.records.length]).to.deep.equal([2500, 500]);
    const { pages, rows } = await all(first);
    expect([pages.length, rows]).to.deep.equal([5, 2500]);
  });

  it('?columns=true answers the column metadata sf data query needs', async () => {
    const soql = 'SELECT Id, Username, Profile.Name, Profile.UserLicense.Name, (SELECT PermissionSetId FROM PermissionSetAssignments) FROM User';
    const body = (await api.get(`${V}/query?q=${encodeURIComponent(soql)}&columns=true`)).body as {
      columnMetadata: Array<{ columnName: string; displayName: string; aggregate: boolean; joinColumns: Array<{ columnName: string; displayName: string; joinColumns: unknown[] }> }>;
      entityName: string;
      groupBy: boolean;
      idSelected: boolean;
      keyPrefix: string;
    };
    expect(body).to.include({ entityName: 'User', groupBy: false, idSelected: true, keyPrefix: '005' });
    expect(body.columnMetadata.map((c) => c.columnName)).to.deep.equal(['Id', 'Username', 'Profile', 'PermissionSetAssignments']);
    const profile = body.columnMetadata[2];
    expect(profile.joinColumns.map((c) => c.displayName)).to.deep.equal(['Profile.Name', 'Profile.UserLicense']);
    expect(body.columnMetadata[3].aggregate).to.equal(true);
  });
});
