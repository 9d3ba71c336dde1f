/**
 * Every lifecycle and credentials command once through the real `sf` (plugin linked), against the org
 * emulator: exit code, the org's state queried afterwards, secret files 0600, and no secret anywhere else.
 * The other lifecycle e2e files cover each command's cases in depth through bin/run.js.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';
import { emulatorSecrets, expectNoLeak, modeOf } from './lifecycleSecrets.js';

const user = (e2e: E2E, username: string) => e2e.emu.db.records('User').find((u) => u.Username === username);
const isFrozen = (e2e: E2E, username: string): boolean =>
  e2e.emu.db.records('UserLogin').find((l) => l.UserId === user(e2e, username)?.Id)?.IsFrozen === true;
const tokenApps = (e2e: E2E, username: string): string[] =>
  e2e.emu.db
    .records('OauthToken')
    .filter((t) => t.UserId === user(e2e, username)?.Id)
    .map((t) => String(t.AppName))
    .sort();
const primaryKey = (e2e: E2E): string => {
  const app = e2e.emu.db.records('ExternalClientApplication').find((a) => a.DeveloperName === 'Billing_Sync');
  const consumer = [...e2e.emu.lifecycle.consumers.entries()].find(([id]) => String(app?.Id).startsWith(id))?.[1][0];
  if (!consumer) throw new Error('Billing_Sync has no consumer in the emulator');
  return consumer.primary.key;
};

describe('e2e: lifecycle and credentials commands through the real sf', function () {
  this.timeout(300_000);
  let e2e: E2E;
  let cwd: string;
  before(async () => {
    e2e = await startE2E({ link: true });
    cwd = await mkdtemp(join(tmpdir(), 'iu-lifecycle-sf-'));
  });
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  const sf = (args: string[]) => e2e.sf(['integration', ...args, '-o', 'emu', '--json'], { cwd });

  it('unfreeze: warehouse.sync is frozen in the seed, and is not afterwards', async () => {
    expect(isFrozen(e2e, 'warehouse.sync@acme.example.com')).to.equal(true);
    const out = await sf(['user', 'unfreeze', '-u', 'warehouse.sync@acme.example.com']);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(isFrozen(e2e, 'warehouse.sync@acme.example.com')).to.equal(false);
  });

  it('revoke-tokens --app: only that app\'s token is gone', async () => {
    expect(tokenApps(e2e, 'shared.connector@acme.example.com')).to.deep.equal(['Workato', 'Zapier']);
    const out = await sf(['user', 'revoke-tokens', '-u', 'shared.connector@acme.example.com', '--app', 'Zapier']);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(tokenApps(e2e, 'shared.connector@acme.example.com')).to.deep.equal(['Workato']);
    await expectNoLeak(e2e, out, emulatorSecrets(e2e), cwd);
  });

  it('contain: frozen, every token revoked, the incident record written 0600', async () => {
    const record = join(cwd, 'incident.json');
    const out = await sf(['user', 'contain', '-u', 'shared.connector@acme.example.com', '--reason', 'INC-7', '--incident-file', record]);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(isFrozen(e2e, 'shared.connector@acme.example.com')).to.equal(true);
    expect(tokenApps(e2e, 'shared.connector@acme.example.com')).to.deep.equal([]);
    expect(await modeOf(record)).to.equal(0o600);
    expect(JSON.parse(await readFile(record, 'utf8'))).to.be.an('object');
    await expectNoLeak(e2e, out, emulatorSecrets(e2e), cwd);
  });

  it('deactivate, then reactivate: IsActive false, then true', async () => {
    const off = await sf(['user', 'deactivate', '-u', 'legacy.etl@acme.example.com']);
    expect(off.exitCode, describeResult(off)).to.equal(0);
    expect(user(e2e, 'legacy.etl@acme.example.com')?.IsActive).to.equal(false);
    const on = await sf(['user', 'reactivate', '-u', 'legacy.etl@acme.example.com']);
    expect(on.exitCode, describeResult(on)).to.equal(0);
    expect(user(e2e, 'legacy.etl@acme.example.com')?.IsActive).to.equal(true);
  });

  it('password: set through the REST resource, only in the new 0600 file', async () => {
    const file = join(cwd, 'legacy.password');
    const out = await sf(['user', 'password', '-u', 'legacy.etl@acme.example.com', '--password-file', file]);
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(user(e2e, 'legacy.etl@acme.example.com')?.LastPasswordChangeDate).to.be.a('string');
    expect(await modeOf(file)).to.equal(0o600);
    const password = (await readFile(file, 'utf8')).trim();
    expect(password.length).to.be.at.least(12);
    await expectNoLeak(e2e, out, emulatorSecrets(e2e, [password]), cwd, [file]);
  });

  it('app credentials and app rotate: the key printed, the secrets only in their 0600 files, the key rotated', async () => {
    const keyBefore = primaryKey(e2e);
    const first = join(cwd, 'billing.secret');
    const creds = await sf(['app', 'credentials', '-n', 'Billing_Sync', '--secret-file', first]);
    expect(creds.exitCode, describeResult(creds)).to.equal(0);
    expect(creds.stdout).to.include(keyBefore);
    expect(await modeOf(first)).to.equal(0o600);

    const second = join(cwd, 'billing.new.secret');
    const rotated = await sf(['app', 'rotate', '-n', 'Billing_Sync', '--secret-file', second]);
    expect(rotated.exitCode, describeResult(rotated)).to.equal(0);
    expect(primaryKey(e2e)).to.not.equal(keyBefore);
    expect(await modeOf(second)).to.equal(0o600);
    await expectNoLeak(e2e, creds, emulatorSecrets(e2e), cwd, [first, second]);
    await expectNoLeak(e2e, rotated, emulatorSecrets(e2e), cwd, [first, second]);
  });
});
