/**
 * `sf integration user create` end to end against the org emulator: through the real sf once, the rest
 * through bin/run.js (build first). Every failure case asserts the message, the exit code and that the
 * org is unchanged.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type CliResult, type E2E } from './harness.js';
import { tempDir } from '../helpers/tmp.js';

type Envelope = {
  status: number;
  result: Record<string, unknown> & { grants: Array<{ name: string; status: string }>; interrupted?: { reason: string; complete: boolean } };
  warnings?: string[];
};
type Failure = { status: number; name: string; message: string; actions?: string[] };

const WRITE_OBJECTS = ['User', 'PermissionSetLicenseAssign', 'PermissionSetAssignment'];

function snapshot(e2e: E2E): string {
  return JSON.stringify(WRITE_OBJECTS.map((o) => e2e.emu.db.records(o).map((r) => [r.Id, r.IsActive ?? null])));
}

async function expectFailure(e2e: E2E, args: string[], message: RegExp | string, exitCode = 1): Promise<Failure> {
  const before = snapshot(e2e);
  const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', ...args, '--json']);
  expect(out.exitCode, describeResult(out)).to.equal(exitCode);
  const json = out.json as Failure;
  if (typeof message === 'string') expect(json.message).to.include(message);
  else expect(json.message).to.match(message);
  expect(json.actions ?? [], 'every error says what to do').to.not.be.empty;
  expect(snapshot(e2e), 'the org is unchanged').to.equal(before);
  return json;
}

/** A permission set licensed by the Salesforce CPQ License PSL (10 free seats in the seed). */
function plantCpqSet(e2e: E2E): void {
  if (e2e.emu.db.records('PermissionSet').some((p) => p.Name === 'CPQ_Reader')) return;
  const cpq = e2e.emu.db.records('PermissionSetLicense').find((p) => p.DeveloperName === 'SalesforceCPQ_CPQStandardPerm');
  e2e.emu.db.insert('PermissionSet', { Name: 'CPQ_Reader', Label: 'CPQ Reader', LicenseId: cpq?.Id, IsOwnedByProfile: false, Type: 'Regular' });
  e2e.emu.db.commit();
}

const userNamed = (e2e: E2E, username: string) => e2e.emu.db.records('User').find((u) => String(u.Username).toLowerCase() === username);

function grantsOf(e2e: E2E, userId: string): string[] {
  const psls = e2e.emu.db.records('PermissionSetLicenseAssign').filter((a) => a.AssigneeId === userId);
  const psas = e2e.emu.db.records('PermissionSetAssignment').filter((a) => a.AssigneeId === userId);
  const name = (type: string, id: unknown, field: string): string => String(e2e.emu.db.records(type).find((r) => r.Id === id)?.[field]);
  return [
    ...psls.map((a) => `psl:${name('PermissionSetLicense', a.PermissionSetLicenseId, 'DeveloperName')}`),
    ...psas.filter((a) => a.PermissionSetGroupId).map((a) => `group:${name('PermissionSetGroup', a.PermissionSetGroupId, 'DeveloperName')}`),
    ...psas
      .filter((a) => !a.PermissionSetGroupId)
      .map((a) => e2e.emu.db.records('PermissionSet').find((p) => p.Id === a.PermissionSetId))
      .filter((p) => p && p.IsOwnedByProfile !== true)
      .map((p) => `set:${String(p?.Name)}`),
  ].sort();
}

describe('e2e: sf integration user create', function () {
  this.timeout(240_000);
  let e2e: E2E;
  before(async () => {
    // Room for the users this file creates: 10 integration seats come with 10 API Integration PSL seats (3 used).
    e2e = await startE2E({ link: true, integrationLicenses: 20 });
  });
  after(async () => e2e?.close());

  it('creates an integration user with PSL, sets and a group through the real sf, in at most 3 requests', async () => {
    e2e.emu.resetRequestLog();
    const out: CliResult = await e2e.sf([
      'integration', 'user', 'create', '-o', 'emu', '--name', 'Billing Sync', '-p', 'Billing_Sync_Access', '-p', 'Integration_Reader',
      '-p', 'Integration_API_Access', '-g', 'Integration_Bundle', '--json',
    ]);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as Envelope;
    expect(result).to.include({
      username: 'billing.sync.integration@acme.example.com',
      email: 'admin@acme.example.com',
      profile: 'Minimum Access - API Only Integrations',
      userLicense: 'Salesforce Integration',
      created: true,
      dryRun: false,
    });
    expect(result.permissionSetLicenses).to.deep.equal(['SalesforceAPIIntegrationPsl']);
    expect(result.permissionSets).to.deep.equal(['Billing_Sync_Access', 'Integration_API_Access', 'Integration_Reader']);
    expect(result.permissionSetGroups).to.deep.equal(['Integration_Bundle']);
    const apiRequests = e2e.emu.requests.filter((r) => r.path.includes('/services/data/') && !/\/services\/data\/?$/.test(r.path));
    expect(apiRequests.length, JSON.stringify(apiRequests.map((r) => `${r.method} ${r.path}`))).to.be.at.most(3);
    const user = userNamed(e2e, 'billing.sync.integration@acme.example.com');
    expect(user?.IsActive).to.equal(true);
    expect(user).to.not.have.property('Password');
    expect(grantsOf(e2e, String(user?.Id))).to.deep.equal([
      'group:Integration_Bundle',
      'psl:SalesforceAPIIntegrationPsl',
      'set:Billing_Sync_Access',
      'set:Integration_API_Access',
      'set:Integration_Reader',
    ]);
  });

  it('converges on a re-run: adds only what is missing, reports "already existed", exit 0', async () => {
    const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '--name', 'Billing Sync', '-p', 'Billing_Sync_Access', '-p', 'Marketing_Shared']);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(out.stdout).to.include('already existed');
    expect(out.stdout).to.include('; 1 missing grant added.');
    expect(out.stdout).to.not.include('(s)');
    expect(out.stdout).to.not.include('User fields');
    expect(out.stdout).to.match(/Marketing_Shared.*added/);
    expect(out.stdout).to.match(/Billing_Sync_Access.*already present/);
    expect(out.stdout).to.include('sf integration user generate app --name Billing_Sync --run-as billing.sync.integration@acme.example.com --contact-email admin@acme.example.com');
    const again = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '--name', 'Billing Sync', '-p', 'Marketing_Shared', '--json']);
    const { result } = again.json as Envelope;
    expect(result).to.include({ created: false });
    expect(result.changes).to.deep.equal([]);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const before = snapshot(e2e);
    const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'Order Sync', '-p', 'Billing_Sync_Access', '--dry-run', '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as Envelope;
    expect(result).to.include({ id: null, created: false, dryRun: true, username: 'order.sync.integration@acme.example.com' });
    expect(result.grants.map((g) => `${g.name}:${g.status}`)).to.deep.equal(['SalesforceAPIIntegrationPsl:toAdd', 'Billing_Sync_Access:toAdd']);
    // the User fields it would set, defaults included (email from the running user, alias and nickname from the name)
    expect(result.userFields).to.deep.equal({
      Username: 'order.sync.integration@acme.example.com',
      LastName: 'Order Sync',
      Email: 'admin@acme.example.com',
      Alias: 'ordersyn',
      CommunityNickname: 'order.sync.integration',
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
    });
    const text = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'Order Sync', '--first-name', 'Order', '-p', 'Billing_Sync_Access', '--dry-run']);
    expect(text.exitCode, describeResult(text)).to.equal(0);
    expect(text.stdout).to.include('User fields it would set:');
    for (const line of [/Username\s.*order\.sync\.integration@acme\.example\.com/, /First name\s.*Order\b/, /Last name\s.*Order Sync/, /Email\s.*admin@acme\.example\.com/, /Alias\s.*ordersyn/, /Nickname\s.*order\.sync\.integration/, /Time zone\s.*America\/Los_Angeles/, /Locale\s.*en_US/]) {
      expect(text.stdout).to.match(line);
    }
    expect(text.stdout).to.include('Grants it would have:');
    expect(snapshot(e2e)).to.equal(before);
  });

  it('reads a definition file; flags override it', async () => {
    const dir = await tempDir('iu-def-');
    const file = join(dir, 'user.json');
    await writeFile(file, JSON.stringify({ LastName: 'Warehouse Feed', Department: 'IT', Email: 'file@acme.example.com', permissionSets: ['Billing_Sync_Access'] }));
    const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-f', file, '-u', 'warehouse.feed@acme.example.com', '-e', 'flag@acme.example.com', '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const user = userNamed(e2e, 'warehouse.feed@acme.example.com');
    expect(user).to.include({ LastName: 'Warehouse Feed', Department: 'IT', Email: 'flag@acme.example.com' });
    expect(grantsOf(e2e, String(user?.Id))).to.deep.equal(['psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);
  });

  describe('one user per integration, and its fields', () => {
    const create = (args: string[]): Promise<CliResult> => e2e.sf(['integration', 'user', 'create', '-o', 'emu', ...args, '--json']);

    it('refuses no name and no username, and a name without a Latin letter unless --username is given', async () => {
      await expectFailure(e2e, [], 'No name and no username for the integration user.');
      const err = await expectFailure(e2e, ['-n', '!!!'], 'The name "!!!" has no Latin letter or digit');
      expect(err.actions?.join(' ')).to.include('--username billing.sync@acme.example.com');
      const ok = await create(['-n', 'Синхронизация', '-u', 'sync.ru@acme.example.com']);
      expect(ok.exitCode, describeResult(ok)).to.equal(0);
      expect(userNamed(e2e, 'sync.ru@acme.example.com')?.LastName).to.equal('Синхронизация');
    });

    it('refuses a derived username that belongs to another integration', async () => {
      const err = await expectFailure(e2e, ['-n', 'billing-sync!', '-p', 'Marketing_Shared'], 'belongs to the integration "Billing Sync", not to "billing-sync!"');
      expect(err.actions?.join(' ')).to.include('--username');
    });

    it('refuses control characters in user fields', async () => {
      await expectFailure(e2e, ['-n', 'Tab\tSync'], '--name holds a control character ("Tab\\u0009Sync")');
      await expectFailure(e2e, ['-n', 'Ok Sync', '--first-name', 'Line\nBreak'], '--first-name holds a control character');
    });

    it('picks a free nickname when the intended one is taken', async () => {
      const admin = userNamed(e2e, 'admin@acme.example.com');
      if (admin) e2e.emu.db.update(admin, { CommunityNickname: 'nick.sync.integration' });
      e2e.emu.db.commit();
      const out = await create(['-n', 'Nick Sync']);
      expect(out.exitCode, describeResult(out)).to.equal(0);
      expect(userNamed(e2e, 'nick.sync.integration@acme.example.com')?.CommunityNickname).to.equal('nick.sync.integration2');
    });

    it('reports field drift without --update-fields (exit 0, org unchanged), shows it in a dry run, writes it with --update-fields', async () => {
      const username = 'billing.sync.integration@acme.example.com';
      const before = snapshot(e2e);
      const text = await e2e.sf(['integration', 'user', 'create', '-o', 'emu', '-n', 'Billing Sync', '-e', 'owner@acme.example.com']);
      expect(text.exitCode, describeResult(text)).to.equal(0);
      expect(text.stderr).to.include('differs from the fields given');
      expect(text.stderr).to.include('Email: org "admin@acme.example.com", given "owner@acme.example.com"');
      const dry = await create(['-n', 'Billing Sync', '-e', 'owner@acme.example.com', '--update-fields', '--dry-run']);
      expect((dry.json as Envelope).result.fieldDrift).to.deep.equal([{ field: 'Email', org: 'admin@acme.example.com', requested: 'owner@acme.example.com' }]);
      expect(snapshot(e2e)).to.equal(before);
      expect(userNamed(e2e, username)?.Email).to.equal('admin@acme.example.com');
      const update = await create(['-n', 'Billing Sync', '-e', 'owner@acme.example.com', '--update-fields']);
      expect(update.exitCode, describeResult(update)).to.equal(0);
      expect((update.json as Envelope).result).to.deep.include({ fieldsUpdated: ['Email'], fieldDrift: [], email: 'owner@acme.example.com' });
      expect(userNamed(e2e, username)?.Email).to.equal('owner@acme.example.com');
    });

    it('adds the PSL a permission set needs before the set (auto-assignment on)', async () => {
      plantCpqSet(e2e);
      const out = await create(['-n', 'Cpq Sync', '-p', 'CPQ_Reader']);
      expect(out.exitCode, describeResult(out)).to.equal(0);
      const grants = (out.json as Envelope).result.grants as Array<{ name: string; status: string; neededBy?: string }>;
      expect(grants.map((g) => `${g.name}:${g.status}:${g.neededBy ?? ''}`)).to.deep.equal([
        'SalesforceAPIIntegrationPsl:added:',
        'SalesforceCPQ_CPQStandardPerm:added:CPQ_Reader',
        'CPQ_Reader:added:',
      ]);
      expect(grantsOf(e2e, String(userNamed(e2e, 'cpq.sync.integration@acme.example.com')?.Id))).to.deep.equal([
        'psl:SalesforceAPIIntegrationPsl',
        'psl:SalesforceCPQ_CPQStandardPerm',
        'set:CPQ_Reader',
      ]);
    });

    it('the answer of the composite write is lost: re-read, exit 0 with a warning, a re-run writes nothing', async () => {
      e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
      const out = await create(['-n', 'Lost Sync', '-p', 'Billing_Sync_Access']);
      e2e.emu.setFaults({});
      expect(out.exitCode, describeResult(out)).to.equal(0);
      const { result, warnings } = out.json as Envelope;
      expect(result).to.include({ created: true });
      expect(result.interrupted).to.include({ complete: true });
      expect(warnings?.join(' ')).to.include('a re-read shows everything asked for in place');
      const user = userNamed(e2e, 'lost.sync.integration@acme.example.com');
      expect(grantsOf(e2e, String(user?.Id))).to.deep.equal(['psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);
      const before = snapshot(e2e);
      const again = await create(['-n', 'Lost Sync', '-p', 'Billing_Sync_Access']);
      expect((again.json as Envelope).result.changes).to.deep.equal([]);
      expect(snapshot(e2e)).to.equal(before);
    });
  });

  describe('refuses bad input before writing anything', () => {
    it('an unknown permission set, with a close match', async () => {
      const err = await expectFailure(e2e, ['-n', 'X Sync', '-p', 'Billing_Synk_Access'], 'Permission set "Billing_Synk_Access" doesn\'t exist in this org.');
      expect(err.actions).to.include('Did you mean: Billing_Sync_Access?');
    });
    it('a permission set with the full Salesforce license', async () => {
      await expectFailure(e2e, ['-n', 'X Sync', '-p', 'Sales_User_Extras'], 'Permission set "Sales_User_Extras" has the license "Salesforce"');
    });
    it('an outdated group', async () => {
      await expectFailure(e2e, ['-n', 'X Sync', '-g', 'Legacy_Bundle'], 'Permission set group "Legacy_Bundle" has status Outdated');
    });
    it('a PSL without seats', async () => {
      await expectFailure(e2e, ['-n', 'X Sync', '-l', 'SalesforceCPQ_CPQAAPerm'], 'No seats left on permission set license "Salesforce CPQ AA License"');
    });
    it('an invalid email and a too long alias, both at once', async () => {
      const err = await expectFailure(e2e, ['-n', 'X Sync', '-e', 'not-an-email', '--alias', 'waytoolong'], '2 problems to fix first');
      expect(err.message).to.include('"not-an-email" is not a valid email address.');
      expect(err.message).to.include('The alias "waytoolong" has 10 characters; Salesforce allows at most 8.');
    });
    it('a username that belongs to a human user', async () => {
      await expectFailure(e2e, ['-u', 'jane.doe@acme.example.com'], 'already belongs to a user of this org who is not an integration user');
    });
    it('a definition file that is missing, not JSON, or has unknown fields', async () => {
      const dir = await tempDir('iu-def-');
      await expectFailure(e2e, ['-f', join(dir, 'missing.json')], "doesn't exist");
      await writeFile(join(dir, 'bad.json'), '{"LastName": ');
      await expectFailure(e2e, ['-f', join(dir, 'bad.json')], 'is not valid JSON');
      await writeFile(join(dir, 'unknown.json'), JSON.stringify({ LastNmae: 'x', Password: 'p' }));
      const err = await expectFailure(e2e, ['-f', join(dir, 'unknown.json')], "has keys the command can't use: LastNmae, Password");
      expect(err.actions?.join('\n')).to.include('did you mean LastName?');
      await expectFailure(e2e, ['-f', dir], "can't be read");
    });
    it('a username taken in another org (DUPLICATE_USERNAME at insert): suggests --username', async () => {
      const err = await expectFailure(e2e, ['-n', 'Taken', '-u', 'taken@elsewhere.example.com', '-p', 'Billing_Sync_Access'], 'already used in another Salesforce org (DUPLICATE_USERNAME)');
      expect(err.actions?.[0]).to.match(/--username taken\.[a-z0-9]+@elsewhere\.example\.com/);
    });
  });

  describe('faults', () => {
    afterEach(() => e2e.emu.setFaults({}));
    it('retries a 503 on a read, then succeeds', async () => {
      e2e.emu.setFaults({ http503: { count: 1 } });
      const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'Retry Sync', '--dry-run', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(0);
    });
    it('gives a clear error when REQUEST_LIMIT_EXCEEDED persists', async () => {
      e2e.emu.setFaults({ requestLimitExceeded: { count: 100 } });
      await expectFailure(e2e, ['-n', 'Limit Sync'], 'API request limit is exhausted (REQUEST_LIMIT_EXCEEDED)');
    });
    it('leaves nothing when the 3rd record write fails (all-or-nothing composite: user, PSL, set)', async () => {
      e2e.emu.setFaults({ failNthWrite: 3 });
      // sf gives platform "gacks" (UNKNOWN_EXCEPTION with an ErrorId) its own exit code, 20.
      await expectFailure(e2e, ['-n', 'Fail Sync', '-p', 'Billing_Sync_Access'], 'Nothing was written: creating fail.sync.integration@acme.example.com failed on Billing_Sync_Access (UNKNOWN_EXCEPTION', 20);
      expect(userNamed(e2e, 'fail.sync.integration@acme.example.com')).to.equal(undefined);
    });
  });
});

describe('e2e: create in special orgs', function () {
  this.timeout(240_000);
  it('refuses an unsupported edition', async () => {
    const e2e = await startE2E({ edition: 'Professional Edition' });
    try {
      const err = await expectFailure(e2e, ['-n', 'Pro Sync'], 'This org is a Professional Edition, which cannot have Salesforce Integration users.');
      expect(err.name).to.equal('UnsupportedEditionError');
    } finally {
      await e2e.close();
    }
  });

  it('refuses when no integration seat is left (used/total)', async () => {
    const e2e = await startE2E({ integrationLicenses: 4 });
    try {
      await expectFailure(e2e, ['-n', 'Seat Sync'], /No Salesforce Integration user license left \(4 of 4 used\)/);
    } finally {
      await e2e.close();
    }
  });

  it('falls back when the org refuses User and assignments together, and deactivates on a later failure', async () => {
    const e2e = await startE2E({ mixedDml: 'reject', integrationLicenses: 10 });
    try {
      const ok = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'Mixed Sync', '-p', 'Billing_Sync_Access', '--json']);
      expect(ok.exitCode, describeResult(ok)).to.equal(0);
      const created = userNamed(e2e, 'mixed.sync.integration@acme.example.com');
      expect(created?.IsActive).to.equal(true);
      expect(grantsOf(e2e, String(created?.Id))).to.deep.equal(['psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);

      // Record writes: the user, its PSL assignment, then its permission set assignment (made to fail).
      e2e.emu.setFaults({ failNthWrite: 3 });
      const out = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'Half Sync', '-p', 'Billing_Sync_Access', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(20); // the injected fault is a platform "gack"
      const err = out.json as Failure;
      expect(err.name).to.equal('AssignmentsFailedUserDeactivatedError');
      const half = userNamed(e2e, 'half.sync.integration@acme.example.com');
      expect(err.message).to.include(`The user half.sync.integration@acme.example.com (${String(half?.Id)}) was created`);
      expect(half?.IsActive, 'never an active, half-configured user').to.equal(false);
      expect(grantsOf(e2e, String(half?.Id)).filter((g) => g.startsWith('set:'))).to.deep.equal([]);
      expect(err.message, err.message).to.match(/Not assigned: [^.]*Billing_Sync_Access/);
    } finally {
      await e2e.close();
    }
  });

  it('mixed-DML fallback, answer of its PSL write lost: exit 68 with what the org holds; a re-run converges, the next writes nothing', async () => {
    const e2e = await startE2E({ mixedDml: 'reject', integrationLicenses: 10, link: true });
    try {
      // Record writes: 1 the refused composite's user, 2 the user alone, 3 its PSL (answer lost), 4 its set.
      e2e.emu.setFaults({ dropResponseAfterCommit: 3 });
      const args = ['integration', 'user', 'create', '-o', 'emu', '-n', 'Drop Sync', '-p', 'Billing_Sync_Access', '--json'];
      const out = await e2e.sf(args);
      e2e.emu.setFaults({});
      expect(out.exitCode, describeResult(out)).to.equal(68);
      const { result, warnings } = out.json as Envelope;
      expect(result).to.include({ created: true });
      expect(result.interrupted).to.include({ complete: false });
      expect(result.grants.map((g) => `${g.name}:${g.status}`)).to.deep.equal(['SalesforceAPIIntegrationPsl:added', 'Billing_Sync_Access:notWritten']);
      expect(warnings?.join(' ')).to.include('Run the same command again');
      const user = userNamed(e2e, 'drop.sync.integration@acme.example.com');
      expect(user?.IsActive).to.equal(true);
      expect(grantsOf(e2e, String(user?.Id))).to.deep.equal(['psl:SalesforceAPIIntegrationPsl']);
      const again = await e2e.sf(args);
      expect(again.exitCode, describeResult(again)).to.equal(0);
      expect(grantsOf(e2e, String(user?.Id))).to.deep.equal(['psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);
      const before = snapshot(e2e);
      const third = await e2e.sf(args);
      expect((third.json as Envelope).result.changes).to.deep.equal([]);
      expect(snapshot(e2e)).to.equal(before);
    } finally {
      await e2e.close();
    }
  });

  it('without Manage Users (delegated admin): create is refused before writing, in a dry run too; assign of sets works, of a PSL is refused', async () => {
    const e2e = await startE2E({ runningUser: 'delegated-admin', link: true });
    try {
      for (const dry of [['--dry-run'], []]) {
        const err = await expectFailure(e2e, ['-n', 'Rights Sync', ...dry], 'Manage Users');
        expect(err.name).to.equal('MissingRightsError');
      }
      const ok = await e2e.sf(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-p', 'Marketing_Shared', '--json']);
      expect(ok.exitCode, describeResult(ok)).to.equal(0);
      const before = snapshot(e2e);
      const psl = await e2e.sf(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-l', 'SalesforceCPQ_CPQStandardPerm', '--json']);
      expect(psl.exitCode, describeResult(psl)).to.equal(1);
      expect((psl.json as Failure).message).to.include('Manage Users');
      expect(snapshot(e2e)).to.equal(before);
    } finally {
      await e2e.close();
    }
  });

  it('with PSL auto-assignment off, the PSL a set needs is still assigned first (same result as with it on)', async () => {
    const e2e = await startE2E({ pslAutoAssign: false, integrationLicenses: 10, link: true });
    try {
      plantCpqSet(e2e);
      const out = await e2e.sf(['integration', 'user', 'create', '-o', 'emu', '-n', 'Cpq Sync', '-p', 'CPQ_Reader', '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(0);
      expect(grantsOf(e2e, String(userNamed(e2e, 'cpq.sync.integration@acme.example.com')?.Id))).to.deep.equal([
        'psl:SalesforceAPIIntegrationPsl',
        'psl:SalesforceCPQ_CPQStandardPerm',
        'set:CPQ_Reader',
      ]);
      const assigned = await e2e.sf(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-p', 'CPQ_Reader']);
      expect(assigned.exitCode, describeResult(assigned)).to.equal(0);
      expect(assigned.stdout).to.match(/SalesforceCPQ_CPQStandardPerm.*added \(needed by CPQ_Reader\)/);
      expect(grantsOf(e2e, String(userNamed(e2e, 'billing.sync@acme.example.com')?.Id))).to.include.members(['psl:SalesforceCPQ_CPQStandardPerm', 'set:CPQ_Reader']);
    } finally {
      await e2e.close();
    }
  });

  it('says the session expired', async () => {
    const e2e = await startE2E({});
    try {
      e2e.emu.expireSession();
      const err = await expectFailure(e2e, ['-n', 'Late Sync'], 'The session for emu has expired');
      expect(err.actions?.join(' '), 'the advice names the alias given with -o').to.include('--alias emu');
    } finally {
      await e2e.close();
    }
  });
});
