/**
 * create and assign as library calls against the in-process org emulator: every outcome is checked in the
 * emulator's store afterwards (org state), with the request counts from its log.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { connectTo } from '../../helpers/connection.js';
import { assignGrants, type AssignInput } from '../../../src/shared/grants/assign.js';
import { createIntegrationUser, type CreateInput } from '../../../src/shared/grants/create.js';
import { emptyGrantNames, type GrantNames } from '../../../src/shared/grants/types.js';

const at = (name: string): string => `${name}@acme.example.com`;
const grants = (g: Partial<GrantNames>): GrantNames => ({ ...emptyGrantNames(), ...g });

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; actions?: string[] }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err, 'expected a rejection').to.be.instanceOf(Error);
  return err as { name: string; message: string; actions?: string[] };
}

type Org = { emu: Emulator; conn: Connection };

async function org(options: EmulatorOptions = {}): Promise<Org> {
  const emu = await startEmulator({ integrationLicenses: 10, ...options });
  return { emu, conn: await connectTo(emu, '66.0') };
}

const userOf = (emu: Emulator, username: string) => emu.db.records('User').find((u) => String(u.Username).toLowerCase() === username);

/** What the user holds, as `psl:` / `set:` / `group:` names. */
function held(emu: Emulator, username: string): string[] {
  const user = userOf(emu, username);
  const name = (type: string, id: unknown, f: string): string => String(emu.db.records(type).find((r) => r.Id === id)?.[f]);
  const psls = emu.db.records('PermissionSetLicenseAssign').filter((a) => a.AssigneeId === user?.Id);
  const psas = emu.db.records('PermissionSetAssignment').filter((a) => a.AssigneeId === user?.Id);
  return [
    ...psls.map((a) => `psl:${name('PermissionSetLicense', a.PermissionSetLicenseId, 'DeveloperName')}`),
    ...psas.filter((a) => a.PermissionSetGroupId).map((a) => `group:${name('PermissionSetGroup', a.PermissionSetGroupId, 'DeveloperName')}`),
    ...psas
      .filter((a) => !a.PermissionSetGroupId)
      .map((a) => emu.db.records('PermissionSet').find((p) => p.Id === a.PermissionSetId))
      .filter((p) => p && p.IsOwnedByProfile !== true)
      .map((p) => `set:${String(p?.Name)}`),
  ].sort();
}

const state = (emu: Emulator): string =>
  JSON.stringify(['User', 'PermissionSetLicenseAssign', 'PermissionSetAssignment'].map((o) => emu.db.records(o).map((r) => [r.Id, r.IsActive ?? null, r.Email ?? null])));

const create = (o: Org, input: Partial<CreateInput> & { user: CreateInput['user'] }) =>
  createIntegrationUser(o.conn, { grants: emptyGrantNames(), dryRun: false, ...input });
const assign = (o: Org, input: Partial<AssignInput> & { usernames: string[] }) =>
  assignGrants(o.conn, { grants: emptyGrantNames(), dryRun: false, allowNonIntegrationUser: false, ...input });

/** A permission set licensed by the Salesforce CPQ License PSL (10 free seats in the seed). */
function plantCpqSet(emu: Emulator): void {
  const cpq = emu.db.records('PermissionSetLicense').find((p) => p.DeveloperName === 'SalesforceCPQ_CPQStandardPerm');
  emu.db.insert('PermissionSet', { Name: 'CPQ_Reader', Label: 'CPQ Reader', LicenseId: cpq?.Id, IsOwnedByProfile: false, Type: 'Regular' });
  emu.db.commit();
}

describe('grants flows (emulator)', function () {
  this.timeout(60_000);
  let o: Org;
  afterEach(async () => o?.emu.close());

  describe('who the user is', () => {
    beforeEach(async () => {
      o = await org();
    });

    it('refuses no name and no username, and a name with no Latin letter, before writing', async () => {
      const before = state(o.emu);
      expect((await failure(create(o, { user: {} }))).message).to.include('No name and no username');
      const err = await failure(create(o, { user: { name: '数据同步' } }));
      expect(err.message).to.include('The name "数据同步" has no Latin letter or digit');
      expect(err.actions?.join(' ')).to.include('--username billing.sync@acme.example.com');
      expect(state(o.emu)).to.equal(before);
      const ok = await create(o, { user: { name: '数据同步', username: at('shuju.sync') } });
      expect(ok.result).to.include({ created: true, username: at('shuju.sync') });
      expect(userOf(o.emu, at('shuju.sync'))?.LastName).to.equal('数据同步');
    });

    it('refuses a derived username that belongs to another integration; the same name or --username converges', async () => {
      await create(o, { user: { name: 'Billing Sync' } });
      const before = state(o.emu);
      const err = await failure(create(o, { user: { name: 'billing-sync!' } }));
      expect(err.message).to.include('The username "billing.sync.integration@acme.example.com", derived from the name, belongs to the integration "Billing Sync", not to "billing-sync!"');
      expect(err.actions?.join(' ')).to.include('give the same --name "Billing Sync"');
      expect(state(o.emu)).to.equal(before);
      expect((await create(o, { user: { name: 'billing sync' } })).result.created).to.equal(false);
      expect((await create(o, { user: { name: 'Other', username: 'billing.sync.integration@acme.example.com' } })).result.created).to.equal(false);
    });

    it('refuses control characters in user fields, writing nothing', async () => {
      const before = state(o.emu);
      const err = await failure(create(o, { user: { name: 'Tab\tSync', fileFields: { Department: 'I\nT' } } }));
      expect(err.message).to.include('--name holds a control character ("Tab\\u0009Sync")');
      expect(err.message).to.include('Department holds a control character');
      expect(state(o.emu)).to.equal(before);
    });

    it('picks a free nickname when the username\'s local part is taken, in the same requests', async () => {
      const admin = userOf(o.emu, at('admin'));
      if (admin) o.emu.db.update(admin, { CommunityNickname: 'nick.sync.integration' });
      o.emu.db.commit();
      o.emu.resetRequestLog();
      const { result } = await create(o, { user: { name: 'Nick Sync' } });
      expect(o.emu.requests.length).to.equal(3);
      expect(userOf(o.emu, result.username)?.CommunityNickname).to.equal('nick.sync.integration2');
    });

    it('refuses without Manage Users (also in a dry run), and names the missing permission', async () => {
      await o.emu.close();
      o = await org({ runningUser: 'delegated-admin' });
      const before = state(o.emu);
      for (const dryRun of [true, false]) {
        const err = await failure(create(o, { user: { name: 'Rights Sync' }, dryRun }));
        expect(err.name).to.equal('MissingRightsError');
        expect(err.message).to.include('Manage Users');
      }
      expect(state(o.emu)).to.equal(before);
    });

    it('two concurrent creates: one creates, the other is told the user was created meanwhile', async () => {
      o.emu.setFaults({ latencyMs: 30 });
      const [a, b] = await Promise.allSettled([create(o, { user: { name: 'Race Sync' } }), create(o, { user: { name: 'Race Sync' } })]);
      const outcomes = [a, b].map((r) => (r.status === 'fulfilled' ? 'created' : (r.reason as Error).name)).sort();
      expect(outcomes).to.deep.equal(['CreatedMeanwhileError', 'created']);
      const loser = [a, b].find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((loser.reason as Error).message).to.include('was created in this org meanwhile');
      expect(((loser.reason as { actions: string[] }).actions ?? []).join(' ')).to.include('converges');
      expect(o.emu.db.records('User').filter((u) => u.Username === 'race.sync.integration@acme.example.com')).to.have.length(1);
    });
  });

  describe('fields converge', () => {
    beforeEach(async () => {
      o = await org();
      await create(o, { user: { name: 'Drift Sync', email: 'first@acme.example.com', firstName: 'Dee' } });
    });

    it('reports drift without --update-fields and changes nothing; a dry run shows it too', async () => {
      for (const dryRun of [true, false]) {
        const before = state(o.emu);
        const { result, warnings, exitCode } = await create(o, { user: { name: 'Drift Sync', email: 'second@acme.example.com', alias: 'dsync' }, dryRun });
        expect(exitCode).to.equal(0);
        expect(result.fieldDrift).to.deep.equal([
          { field: 'Email', org: 'first@acme.example.com', requested: 'second@acme.example.com' },
          { field: 'Alias', org: 'driftsyn', requested: 'dsync' },
        ]);
        expect(warnings.map((w) => w.kind)).to.include('fieldDrift');
        expect(state(o.emu)).to.equal(before);
      }
    });

    it('--update-fields writes only the given fields, with the grants in one request', async () => {
      o.emu.resetRequestLog();
      const { result } = await create(o, { user: { name: 'Drift Sync', email: 'second@acme.example.com' }, updateFields: true, grants: grants({ permissionSets: ['Marketing_Shared'] }) });
      expect(o.emu.requests.length).to.equal(3);
      expect(result.fieldsUpdated).to.deep.equal(['Email']);
      expect(result.fieldDrift).to.deep.equal([]);
      expect(result.changes.map((c) => `${c.action}:${c.name}`)).to.deep.equal(['updateField:Email', 'assign:Marketing_Shared']);
      expect(userOf(o.emu, 'drift.sync.integration@acme.example.com')).to.include({ Email: 'second@acme.example.com', FirstName: 'Dee' });
      expect(held(o.emu, 'drift.sync.integration@acme.example.com')).to.include('set:Marketing_Shared');
    });
  });

  describe('PSL a set needs', () => {
    for (const pslAutoAssign of [true, false]) {
      it(`is added to the plan before the set and assigned (pslAutoAssign ${String(pslAutoAssign)})`, async () => {
        o = await org({ pslAutoAssign });
        plantCpqSet(o.emu);
        const { result } = await create(o, { user: { name: 'Cpq Sync' }, grants: grants({ permissionSets: ['CPQ_Reader'] }) });
        expect(result.grants.map((g) => `${g.name}:${g.status}:${g.neededBy ?? ''}`)).to.deep.equal([
          'SalesforceAPIIntegrationPsl:added:',
          'SalesforceCPQ_CPQStandardPerm:added:CPQ_Reader',
          'CPQ_Reader:added:',
        ]);
        expect(held(o.emu, result.username)).to.deep.equal(['psl:SalesforceAPIIntegrationPsl', 'psl:SalesforceCPQ_CPQStandardPerm', 'set:CPQ_Reader']);
        const assigned = await assign(o, { usernames: [at('billing.sync')], grants: grants({ permissionSets: ['CPQ_Reader'] }) });
        expect(assigned.exitCode).to.equal(0);
        expect(held(o.emu, at('billing.sync'))).to.include.members(['psl:SalesforceCPQ_CPQStandardPerm', 'set:CPQ_Reader']);
      });
    }
  });

  describe('the answer of a write is lost (dropResponseAfterCommit)', () => {
    const input = { user: { name: 'Lost Sync' }, grants: grants({ permissionSets: ['Billing_Sync_Access'] }) };
    const username = 'lost.sync.integration@acme.example.com';

    it('composite create: re-reads in one request, reports what is there (exit 0), a re-run writes nothing', async () => {
      o = await org();
      o.emu.setFaults({ dropResponseAfterCommit: 1 });
      o.emu.resetRequestLog();
      const { result, exitCode, warnings } = await create(o, input);
      expect(o.emu.requests.length, 'reads, the write, one re-read').to.equal(4);
      expect(exitCode).to.equal(0);
      expect(result.interrupted).to.deep.include({ complete: true });
      expect(result).to.include({ created: true, username });
      expect(warnings.map((w) => w.kind)).to.deep.equal(['interrupted']);
      expect(held(o.emu, username)).to.deep.equal(['psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);
      const before = state(o.emu);
      const again = await create(o, input);
      expect(again.result.changes).to.deep.equal([]);
      expect(state(o.emu)).to.equal(before);
    });

    it('mixed-DML fallback, answer of the refused first composite lost: the re-read finds nothing (exit 1), no claim without it', async () => {
      o = await org({ mixedDml: 'reject' });
      // Record write 1 is the user insert of the first composite, which the org refuses (MIXED_DML) and rolls back.
      o.emu.setFaults({ dropResponseAfterCommit: 1 });
      const before = state(o.emu);
      const err = await failure(create(o, input));
      expect(err.name).to.equal('AnswerLostNothingWrittenError');
      expect(err.message).to.include('A re-read shows that nothing of it is in the org');
      expect(state(o.emu)).to.equal(before);
    });

    // Record writes with the fallback: 1 the refused composite's user, 2 the user alone, 3 its PSL, 4 its set.
    const cases: Array<[number, string[], number]> = [
      [2, [], 68],
      [3, ['psl:SalesforceAPIIntegrationPsl'], 68],
      [4, ['psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access'], 0],
    ];
    for (const [n, expected, exit] of cases) {
      it(`mixed-DML fallback, answer of write ${n} lost: reports exactly what the org holds (exit ${exit}); a re-run converges`, async () => {
        o = await org({ mixedDml: 'reject' });
        o.emu.setFaults({ dropResponseAfterCommit: n });
        const { result, exitCode } = await create(o, input);
        expect(exitCode).to.equal(exit);
        expect(result.created).to.equal(true);
        expect(userOf(o.emu, username)?.IsActive).to.equal(true);
        expect(held(o.emu, username)).to.deep.equal(expected);
        const statuses = result.grants.map((g) => `${g.name}:${g.status}`);
        expect(statuses).to.deep.equal([
          `SalesforceAPIIntegrationPsl:${expected.includes('psl:SalesforceAPIIntegrationPsl') ? 'added' : 'notWritten'}`,
          `Billing_Sync_Access:${expected.includes('set:Billing_Sync_Access') ? 'added' : 'notWritten'}`,
        ]);
        const again = await create(o, input);
        expect(again.exitCode).to.equal(0);
        expect(held(o.emu, username)).to.deep.equal(['psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);
        const before = state(o.emu);
        expect((await create(o, input)).result.changes).to.deep.equal([]);
        expect(state(o.emu)).to.equal(before);
      });
    }

    it('a dropped read is retried; the create then completes', async () => {
      o = await org();
      o.emu.setFaults({ dropConnection: { count: 1, match: 'POST /services/data/v66.0/composite' } });
      const ok = await create(o, input);
      expect(ok.exitCode).to.equal(0);
      expect(held(o.emu, username)).to.deep.equal(['psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);
    });

    it('assign, 1 user: re-read, exit 0, re-run writes nothing', async () => {
      o = await org();
      o.emu.setFaults({ dropResponseAfterCommit: 1 });
      const a = { usernames: [at('billing.sync')], grants: grants({ permissionSets: ['Marketing_Shared', 'Integration_Reader'] }) };
      const { result, exitCode } = await assign(o, a);
      expect(exitCode).to.equal(0);
      expect(result.interrupted).to.deep.include({ complete: true });
      expect(result.users[0].status).to.equal('updated');
      const before = state(o.emu);
      const again = await assign(o, a);
      expect(again.result.users[0].status).to.equal('unchanged');
      expect(state(o.emu)).to.equal(before);
    });

    it('assign, 3 users, answer of the PSL collection lost: each user as the org holds it (exit 68)', async () => {
      o = await org();
      const users = [at('billing.sync'), at('shared.connector'), at('legacy.etl')];
      const a = { usernames: users, grants: grants({ permissionSetLicenses: ['SalesforceCPQ_CPQStandardPerm'], permissionSets: ['Marketing_Shared'] }) };
      o.emu.setFaults({ dropResponseAfterCommit: 1 });
      const { result, exitCode } = await assign(o, a);
      expect(exitCode).to.equal(68);
      // shared.connector already held Marketing_Shared: the PSL was all it lacked.
      expect(result.users.map((u) => u.status)).to.deep.equal(['partial', 'updated', 'partial']);
      for (const u of users) expect(held(o.emu, u)).to.include('psl:SalesforceCPQ_CPQStandardPerm');
      const again = await assign(o, a);
      expect(again.exitCode).to.equal(0);
      const before = state(o.emu);
      expect((await assign(o, a)).result.users.map((u) => u.status)).to.deep.equal(['unchanged', 'unchanged', 'unchanged']);
      expect(state(o.emu)).to.equal(before);
    });
  });

  describe('assign input and users', () => {
    beforeEach(async () => {
      o = await org();
    });

    it('refuses nothing to assign and a comma in a name, before reading', async () => {
      o.emu.resetRequestLog();
      expect((await failure(assign(o, { usernames: [at('billing.sync')] }))).message).to.include('Nothing to assign');
      const err = await failure(assign(o, { usernames: [at('billing.sync')], grants: grants({ permissionSets: ['A,B'] }) }));
      expect(err.actions).to.include('Repeat the flag for each name, for example -p First_Set -p Second_Set.');
      expect(o.emu.requests.length).to.equal(0);
    });

    it('refuses an inactive user unless allowInactive (then a warning); warns about a frozen user', async () => {
      const before = state(o.emu);
      const err = await failure(assign(o, { usernames: [at('old.integration')], grants: grants({ permissionSets: ['Marketing_Shared'] }) }));
      expect(err.message).to.include('The user old.integration@acme.example.com is inactive');
      expect(state(o.emu)).to.equal(before);
      const allowed = await assign(o, { usernames: [at('old.integration')], grants: grants({ permissionSets: ['Marketing_Shared'] }), allowInactive: true });
      expect(allowed.warnings).to.deep.include({ kind: 'inactive', username: at('old.integration') });
      expect(held(o.emu, at('old.integration'))).to.include('set:Marketing_Shared');
      const frozen = await assign(o, { usernames: [at('warehouse.sync')], grants: grants({ permissionSets: ['Marketing_Shared'] }) });
      expect(frozen.warnings).to.deep.include({ kind: 'frozen', username: at('warehouse.sync') });
    });

    it('delegated admin: sets are fine, a PSL needs Manage Users (refused before writing)', async () => {
      await o.emu.close();
      o = await org({ runningUser: 'delegated-admin' });
      const ok = await assign(o, { usernames: [at('billing.sync')], grants: grants({ permissionSets: ['Marketing_Shared'] }) });
      expect(ok.exitCode).to.equal(0);
      expect(ok.warnings).to.deep.include({ kind: 'frozenUnknown' });
      const before = state(o.emu);
      const err = await failure(assign(o, { usernames: [at('billing.sync')], grants: grants({ permissionSetLicenses: ['SalesforceCPQ_CPQStandardPerm'] }), dryRun: true }));
      expect(err.name).to.equal('MissingRightsError');
      expect(err.message).to.include('Manage Users');
      expect(state(o.emu)).to.equal(before);
    });
  });
});
