import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { connectTo } from '../helpers/connection.js';
import { listIntegrationUsers, listWarnings, toIso, type IntegrationUserListResult } from '../../src/shared/list.js';

const at = (name: string): string => `${name}@acme.example.com`;

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; actions?: string[]; exitCode?: number }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err, 'expected a rejection').to.be.instanceOf(Error);
  return err as { name: string; message: string; actions?: string[]; exitCode?: number };
}

describe('listIntegrationUsers (emulator, default seed)', () => {
  let emu: Emulator;
  let conn: Connection;
  let result: IntegrationUserListResult;
  let requests: number;

  before(async () => {
    emu = await startEmulator({ seed: 'default' });
    conn = await connectTo(emu);
    emu.resetRequestLog();
    result = await listIntegrationUsers(conn);
    requests = emu.requests.length;
  });

  after(async () => {
    await emu?.close();
  });

  it('lists the Salesforce Integration license users and the legacy-profile users, not the others', () => {
    expect(result.users.map((u) => u.username)).to.have.members(
      ['billing.sync', 'warehouse.sync', 'shared.connector', 'legacy.etl', 'old.integration'].map(at)
    );
    const usernames = result.users.map((u) => u.username);
    for (const other of ['admin', 'jane.doe', 'john.smith', 'priya.patel', 'erp.integration', 'reporting.api']) {
      expect(usernames).to.not.include(at(other));
    }
  });

  it('orders by username and flags legacy, inactive and frozen users', () => {
    const usernames = result.users.map((u) => u.username);
    expect(usernames).to.deep.equal([...usernames].sort());
    const byName = new Map(result.users.map((u) => [u.username, u]));
    expect(result.users.filter((u) => u.legacy).map((u) => u.username)).to.deep.equal([at('legacy.etl')]);
    expect(byName.get(at('legacy.etl'))?.profile).to.equal('Salesforce API Only System Integrations');
    expect(result.users.filter((u) => !u.active).map((u) => u.username)).to.deep.equal([at('old.integration')]);
    expect(result.users.filter((u) => u.frozen).map((u) => u.username)).to.deep.equal([at('warehouse.sync')]);
  });

  it('gives each user its grants as plain name arrays, and ISO last-login dates', () => {
    const billing = result.users.find((u) => u.username === at('billing.sync'));
    expect(billing).to.deep.include({ active: true, frozen: false, legacy: false, userLicense: 'Salesforce Integration' });
    expect(billing?.profile).to.equal('Minimum Access - API Only Integrations');
    expect(billing?.permissionSetLicenses).to.deep.equal(['SalesforceAPIIntegrationPsl']);
    expect(billing?.permissionSets).to.include('Billing_Sync_Access');
    const oldIntegration = result.users.find((u) => u.username === at('old.integration'));
    expect(oldIntegration?.permissionSetLicenses).to.deep.equal(['SalesforceAPIIntegrationPsl']);
    expect(oldIntegration?.permissionSets.length).to.be.greaterThan(0);
    for (const user of result.users) {
      for (const list of [user.permissionSetLicenses, user.permissionSets, user.permissionSetGroups]) {
        expect(list.every((name) => typeof name === 'string')).to.be.true;
      }
      if (user.lastLogin !== null) expect(user.lastLogin).to.equal(new Date(user.lastLogin).toISOString());
    }
  });

  it('reports the seats of the Salesforce Integration license and the API Integration PSL', () => {
    expect(result.seats.integrationUserLicense).to.deep.equal({ total: 5, used: 4, available: 1 });
    expect(result.seats.apiIntegrationPsl?.total).to.equal(5);
    expect(result.org).to.deep.include({ id: emu.orgId, edition: 'Enterprise Edition' });
    expect(listWarnings(result)).to.deep.equal([]);
  });

  it('reads everything in 2 composite requests (8 queries, the running user\'s rights included)', () => {
    expect(requests).to.equal(2);
  });

  it('says how to log in again when the session expired', async () => {
    emu.expireSession();
    const err = await failure(listIntegrationUsers(conn));
    expect(err.name).to.equal('SessionExpiredError');
    expect(err.message).to.include(emu.username);
    expect(err.actions?.join('\n')).to.include('sf org login');
  });
});

describe('listIntegrationUsers (emulator, orgs that cannot list)', () => {
  const emulators: Emulator[] = [];
  after(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });
  async function connect(options: Parameters<typeof startEmulator>[0]): Promise<Connection> {
    const emu = await startEmulator(options);
    emulators.push(emu);
    return connectTo(emu, '62.0');
  }

  it('Professional Edition: says the edition cannot have integration users', async () => {
    const err = await failure(listIntegrationUsers(await connect({ edition: 'Professional Edition' })));
    expect(err.name).to.equal('UnsupportedEditionError');
    expect(err.message).to.include('This org is a Professional Edition, which cannot have Salesforce Integration users');
    expect(err.actions?.length).to.be.greaterThan(0);
  });

  it('no free Salesforce Integration seat: lists, and warns that the seats are exhausted', async () => {
    const result = await listIntegrationUsers(await connect({ integrationLicenses: 4 }));
    expect(result.seats.integrationUserLicense).to.deep.equal({ total: 4, used: 4, available: 0 });
    expect(listWarnings(result)).to.deep.equal(['integrationSeatsExhausted']);
  });

  it('API disabled: says the API is disabled', async () => {
    const err = await failure(listIntegrationUsers(await connect({ apiEnabled: false })));
    expect(err.name).to.equal('ApiDisabledError');
    expect(err.message).to.include('API_DISABLED_FOR_ORG');
  });
});

describe('listIntegrationUsers (emulator, scale seed): request budget', function () {
  this.timeout(120_000);
  let emu: Emulator;

  before(async () => {
    emu = await startEmulator({ seed: { scale: 10_000 } });
  });
  after(async () => {
    await emu?.close();
  });

  it('stays within 6 requests plus one per extra 2000-row page of the rows it keeps', async () => {
    const conn = await connectTo(emu, '62.0');
    emu.resetRequestLog();
    const result = await listIntegrationUsers(conn);
    const requests = emu.requests.length;
    const ids = new Set(result.users.map((u) => u.id));
    const profileOwned = new Set(
      emu.db
        .records('PermissionSet')
        .filter((s) => s.IsOwnedByProfile === true)
        .map((s) => String(s.Id))
    );
    const psaRows = emu.db.records('PermissionSetAssignment').filter((r) => ids.has(String(r.AssigneeId)));
    // What SOQL filters out: profile-owned set assignments and UserLogin rows of users who aren't frozen.
    const keptPsa = psaRows.filter((r) => !profileOwned.has(String(r.PermissionSetId)));
    const loginRows = emu.db.records('UserLogin').filter((r) => ids.has(String(r.UserId)));
    expect(keptPsa.length, 'profile-owned assignments are filtered in SOQL').to.be.lessThan(psaRows.length);
    expect(loginRows.filter((r) => r.IsFrozen === true).length).to.be.lessThan(loginRows.length);
    const rowCounts = [
      result.users.length,
      emu.db.records('PermissionSetLicenseAssign').filter((r) => ids.has(String(r.AssigneeId))).length,
      keptPsa.length,
      loginRows.filter((r) => r.IsFrozen === true).length,
    ];
    const extraPages = rowCounts.reduce((sum, rows) => sum + Math.max(0, Math.ceil(rows / 2000) - 1), 0);
    expect(Math.max(...rowCounts), 'the scale seed must exercise paging').to.be.greaterThan(2000);
    expect(requests).to.be.at.most(6 + extraPages);
    // Two composite requests for the 8 queries (rights included); every other request is a query page.
    expect(emu.requests.filter((r) => r.path.endsWith('/composite'))).to.have.length(2);
    expect(requests).to.equal(2 + extraPages);
    expect(result.users.filter((u) => u.frozen === null)).to.have.length(0);
  });
});

describe('listIntegrationUsers (emulator, running user without some rights)', () => {
  // one clock for every emulator of this block, so seeded dates (last logins) are the same in each
  const CLOCK = new Date();
  let admin: IntegrationUserListResult;
  const emulators: Emulator[] = [];
  async function listAs(runningUser: 'admin' | 'delegated-admin' | 'auditor' | 'standard'): Promise<{ result?: IntegrationUserListResult; error?: unknown; requests: number }> {
    const emu = await startEmulator({ seed: 'default', runningUser, now: CLOCK });
    emulators.push(emu);
    const conn = await connectTo(emu, '62.0');
    emu.resetRequestLog();
    const outcome = await listIntegrationUsers(conn).then(
      (result) => ({ result }),
      (error: unknown) => ({ error })
    );
    return { ...outcome, requests: emu.requests.length };
  }
  const withoutFrozen = (r: IntegrationUserListResult): unknown => r.users.map((u) => ({ ...u, frozen: 'ignored' }));

  before(async () => {
    const run = await listAs('admin');
    admin = run.result as IntegrationUserListResult;
  });
  after(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });

  for (const level of ['delegated-admin', 'auditor'] as const) {
    it(`${level} (View Setup, no Manage Users): the same users, grants and seats, frozen unknown, one warning, same 2 requests`, async () => {
      const { result, error, requests } = await listAs(level);
      expect(error).to.equal(undefined);
      const listed = result as IntegrationUserListResult;
      expect(withoutFrozen(listed)).to.deep.equal(withoutFrozen(admin));
      expect(listed.users.map((u) => u.frozen)).to.deep.equal(admin.users.map(() => null));
      expect(listed.seats).to.deep.equal(admin.seats);
      expect(listWarnings(listed)).to.deep.equal(['frozenStateUnknown']);
      expect(requests).to.equal(2);
    });
  }

  it('admin: frozen state known (warehouse.sync frozen), no warning', () => {
    expect(admin.users.filter((u) => u.frozen === true).map((u) => u.username)).to.deep.equal([at('warehouse.sync')]);
    expect(admin.users.every((u) => u.frozen !== null)).to.equal(true);
    expect(listWarnings(admin)).to.deep.equal([]);
  });

  it('standard (none of them): refuses in the same 2 requests, naming each missing permission and what it is for', async () => {
    const { result, error, requests } = await listAs('standard');
    expect(result).to.equal(undefined);
    const err = error as { name: string; message: string; actions?: string[]; exitCode?: number };
    expect(err.name).to.equal('MissingRightsError');
    expect(err.exitCode).to.equal(1);
    expect(err.message).to.contain(
      '- View Setup and Configuration, Assign Permission Sets or Manage Users: needed to read which permission sets and groups users hold (PermissionSetAssignment).'
    );
    expect(err.message).to.contain(
      '- View Setup and Configuration or Assign Permission Sets: needed to read which permission set licenses users hold (PermissionSetLicenseAssign).'
    );
    expect(err.message).to.not.contain('UserLogin');
    expect(err.actions?.[0]).to.contain('View Setup and Configuration');
    expect(requests).to.equal(2);
  });
});

describe('toIso / listWarnings', () => {
  it('turns Salesforce date-times into ISO 8601 UTC', () => {
    expect(toIso('2026-01-02T03:04:05.000+0000')).to.equal('2026-01-02T03:04:05.000Z');
    expect(toIso('2026-01-02T03:04:05.000-0130')).to.equal('2026-01-02T04:34:05.000Z');
    expect(toIso(null)).to.equal(null);
  });

  it('warns on exhausted seats and a missing or full API Integration PSL', () => {
    const base: IntegrationUserListResult = {
      users: [],
      seats: { integrationUserLicense: { total: 5, used: 5, available: 0 }, apiIntegrationPsl: null },
      org: { id: '00D', name: 'Acme', edition: 'Enterprise Edition', kind: 'production' },
    };
    expect(listWarnings(base)).to.deep.equal(['integrationSeatsExhausted', 'apiIntegrationPslMissing']);
    expect(
      listWarnings({ ...base, seats: { integrationUserLicense: null, apiIntegrationPsl: { total: 1, used: 1, available: 0 } } })
    ).to.deep.equal(['apiIntegrationPslExhausted']);
  });
});
