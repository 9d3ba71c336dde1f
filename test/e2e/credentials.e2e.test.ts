/** `sf integration app credentials / rotate` end to end against the org emulator's Connect REST credentials resources. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';
import { emulatorSecrets, expectNoLeak, modeOf } from './lifecycleSecrets.js';

type CredEnvelope = { status: number; result: { consumerKey: string; secretFile: string | null; secretWritten: boolean } };
type RotateEnvelope = {
  status: number;
  result: { consumerKey: string; previousConsumerKey: string; rotated: boolean; previousRevoked: boolean; previousValidUntil: string | null; staged: { state: string } | null; steps: Array<{ step: string; status: string }> };
};
type Failure = { status: number; message: string; actions?: string[] };

const consumerOf = (e2e: E2E, name = 'Billing_Sync') => {
  const app = e2e.emu.db.records('ExternalClientApplication').find((a) => a.DeveloperName === name);
  const consumer = e2e.emu.lifecycle.consumers.get(String(app?.Id).slice(0, 15))?.[0];
  if (!consumer) throw new Error('no consumer');
  return consumer;
};

describe('e2e: sf integration app credentials / rotate', function () {
  this.timeout(300_000);
  let e2e: E2E;
  let cwd: string;
  before(async () => {
    e2e = await startE2E();
    cwd = await mkdtemp(join(tmpdir(), 'iu-creds-'));
  });
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('prints the consumer key (2 requests), never the secret', async () => {
    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Billing_Sync', '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect((out.json as CredEnvelope).result).to.include({ consumerKey: consumerOf(e2e).primary.key, secretWritten: false });
    expect(e2e.emu.requests.filter((r) => r.path.startsWith('/services/data/'))).to.have.length(2);
    const human = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Billing_Sync'], { cwd });
    expect(human.stdout).to.include(consumerOf(e2e).primary.key);
    await expectNoLeak(e2e, out, emulatorSecrets(e2e), cwd);
    await expectNoLeak(e2e, human, emulatorSecrets(e2e), cwd);
  });

  it('writes the secret only to a new 0600 file, refuses an existing file before any request', async () => {
    const file = join(cwd, 'billing.secret');
    const out = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', file, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(await modeOf(file)).to.equal(0o600);
    expect((await readFile(file, 'utf8')).trim()).to.equal(consumerOf(e2e).primary.secret);
    await expectNoLeak(e2e, out, emulatorSecrets(e2e), cwd, [file]);
    e2e.emu.resetRequestLog();
    const again = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', file, '--json'], { cwd });
    expect(again.exitCode, describeResult(again)).to.equal(1);
    expect((again.json as Failure).message).to.include('already exists');
    expect(e2e.emu.requests.filter((r) => r.path.startsWith('/services/data/'))).to.have.length(0);
    await writeFile(join(cwd, 'other.secret'), 'x', { mode: 0o644 });
    const forced = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', join(cwd, 'other.secret'), '--force', '--json'], { cwd });
    expect(forced.exitCode, describeResult(forced)).to.equal(0);
    expect(await modeOf(join(cwd, 'other.secret'))).to.equal(0o600);
    await rm(join(cwd, 'other.secret'));
    await rm(file);
  });

  it('refuses a packaged app and an unknown one, with what to do', async () => {
    const packaged = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Vendor_Connector', '--json'], { cwd });
    expect(packaged.exitCode, describeResult(packaged)).to.equal(1);
    expect((packaged.json as Failure).message).to.include('only for local apps');
    const unknown = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Nope', '--json'], { cwd });
    expect(unknown.exitCode).to.equal(1);
    expect((unknown.json as Failure).message).to.include('No External Client App named "Nope"');
  });

  it('rotates: new secret in the 0600 file and primary; the previous stays valid (Rotated, 30 days); re-run refused without --replace-staged', async () => {
    const before = { ...consumerOf(e2e).primary };
    const file = join(cwd, 'rotated.secret');
    const out = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', file, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as RotateEnvelope;
    expect(result.rotated).to.equal(true);
    expect(result.previousConsumerKey).to.equal(before.key);
    expect(result.consumerKey).to.equal(consumerOf(e2e).primary.key).and.not.equal(before.key);
    expect(result.staged?.state).to.equal('Rotated');
    expect(new Date(String(result.previousValidUntil)).getTime() - Date.now()).to.be.greaterThan(29 * 86_400_000);
    expect((await readFile(file, 'utf8')).trim()).to.equal(consumerOf(e2e).primary.secret);
    expect(await modeOf(file)).to.equal(0o600);
    expect(consumerOf(e2e).staged?.secret).to.equal(before.secret);
    await expectNoLeak(e2e, out, [...emulatorSecrets(e2e), before.secret], cwd, [file]);

    e2e.emu.resetRequestLog();
    const again = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', join(cwd, 'second.secret'), '--json'], { cwd });
    expect(again.exitCode, describeResult(again)).to.equal(1);
    expect((again.json as Failure).message).to.include('already has staged credentials');
    expect(e2e.emu.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/composite'))).to.have.length(0);
    expect(existsSync(join(cwd, 'second.secret'))).to.equal(false);

    const revoke = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', join(cwd, 'second.secret'), '--replace-staged', '--revoke-previous', '--json'], { cwd });
    expect(revoke.exitCode, describeResult(revoke)).to.equal(0);
    expect((revoke.json as RotateEnvelope).result).to.include({ rotated: true, previousRevoked: true });
    expect(consumerOf(e2e).staged).to.equal(undefined);
    expect((await readFile(join(cwd, 'second.secret'), 'utf8')).trim()).to.equal(consumerOf(e2e).primary.secret);
    await rm(file);
    await rm(join(cwd, 'second.secret'));
  });

  it('a failure at the rotate step is reported truthfully: staged, not rotated, old key still primary (exit 68)', async () => {
    const before = { ...consumerOf(e2e).primary };
    const file = join(cwd, 'partial.secret');
    e2e.emu.setFaults({ failNthWrite: 2 });
    try {
      const out = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', file, '--json'], { cwd });
      expect(out.exitCode, describeResult(out)).to.equal(68);
      const { result } = out.json as RotateEnvelope;
      expect(result.rotated).to.equal(false);
      expect(result.consumerKey).to.equal(before.key);
      expect(result.staged?.state).to.equal('Active');
      expect(result.steps.map((s) => `${s.step}:${s.status}`)).to.deep.equal(['stage:done', 'writeSecret:done', 'rotate:failed']);
      expect(consumerOf(e2e).primary.key).to.equal(before.key);
      expect((await readFile(file, 'utf8')).trim()).to.equal(consumerOf(e2e).staged?.secret);
      await expectNoLeak(e2e, out, emulatorSecrets(e2e), cwd, [file]);
    } finally {
      e2e.emu.setFaults({});
      await rm(file, { force: true });
    }
  });
});

describe('e2e: app credentials preconditions (org setting off, running user without rights)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  let cwd: string;
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('without the org setting: key yes, secret refused with the setting to turn on, no file', async () => {
    e2e = await startE2E({ ecaSecretRestAccess: false });
    cwd = await mkdtemp(join(tmpdir(), 'iu-creds-off-'));
    const key = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Billing_Sync', '--json'], { cwd });
    expect(key.exitCode, describeResult(key)).to.equal(0);
    const file = join(cwd, 'x.secret');
    const secret = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', file, '--json'], { cwd });
    expect(secret.exitCode, describeResult(secret)).to.equal(1);
    expect((secret.json as Failure).actions?.join(' ')).to.include('enableClientSecretInRestApiAccess');
    expect(existsSync(file)).to.equal(false);
    const rotate = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', file, '--json'], { cwd });
    expect(rotate.exitCode, describeResult(rotate)).to.equal(1);
    expect(consumerOf(e2e).staged).to.equal(undefined);
    await e2e.close();

    e2e = await startE2E({ runningUser: 'restricted' });
    const denied = await e2e.run(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Billing_Sync', '--json'], { cwd });
    expect(denied.exitCode, describeResult(denied)).to.equal(1);
    expect((denied.json as Failure).actions?.join(' ')).to.include('External Client App Developer');
  });
});
