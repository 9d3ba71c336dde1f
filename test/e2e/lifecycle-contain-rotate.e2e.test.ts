/** After `contain --app` staged new credentials, `app rotate --use-staged` finishes the rotation without a new secret (end to end, org emulator). */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';
import { emulatorSecrets, expectNoLeak } from './lifecycleSecrets.js';

type Step = { step: string; status: string; detail?: string };
type RotateEnvelope = { status: number; result: { rotated: boolean; consumerKey: string; previousConsumerKey: string; previousRevoked: boolean; staged: { key: string; state: string } | null; secretFile: string | null; steps: Step[] } };
type ContainEnvelope = { status: number; result: { nextSteps: string[]; steps: Step[] } };
type Failure = { status: number; name: string; message: string; actions?: string[] };

const consumer = (e2e: E2E) => {
  const app = e2e.emu.db.records('ExternalClientApplication').find((a) => a.DeveloperName === 'Billing_Sync');
  const found = e2e.emu.lifecycle.consumers.get(String(app?.Id).slice(0, 15))?.[0];
  if (!found) throw new Error('no consumer');
  return found;
};
const writes = (e2e: E2E) => e2e.emu.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/composite'));

describe('e2e: contain --app, then app rotate --use-staged', function () {
  this.timeout(300_000);
  let e2e: E2E;
  let cwd: string;
  let secretFile: string;
  let leaked: { key: string; secret: string };
  before(async () => {
    e2e = await startE2E();
    cwd = await mkdtemp(join(tmpdir(), 'iu-contain-rotate-'));
    secretFile = join(cwd, 'contain.secret');
    leaked = { ...consumer(e2e).primary };
  });
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('contain stages new credentials and its next steps name the exact rotate command', async () => {
    const out = await e2e.run(['integration', 'user', 'contain', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--app', 'Billing_Sync', '--secret-file', secretFile, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as ContainEnvelope;
    expect(result.nextSteps.join('\n')).to.match(/sf integration app rotate -o \S+ -n Billing_Sync --use-staged --revoke-previous/);
    expect(consumer(e2e).staged?.state).to.equal('Active');
    expect(consumer(e2e).primary.key).to.equal(leaked.key);
    await expectNoLeak(e2e, out, [...emulatorSecrets(e2e), leaked.secret], cwd, [secretFile]);
  });

  it('--use-staged is exclusive with --secret-file and --replace-staged (exit 2, nothing read or written)', async () => {
    e2e.emu.resetRequestLog();
    const both = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--use-staged', '--secret-file', join(cwd, 'x.secret'), '--json'], { cwd });
    expect(both.exitCode, describeResult(both)).to.equal(2);
    const replace = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--use-staged', '--replace-staged', '--json'], { cwd });
    expect(replace.exitCode, describeResult(replace)).to.equal(2);
    const neither = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--json'], { cwd });
    expect(neither.exitCode, describeResult(neither)).to.equal(2);
    expect(e2e.emu.requests).to.have.length(0);
    expect(existsSync(join(cwd, 'x.secret'))).to.equal(false);
  });

  it('without --use-staged, rotate still refuses to discard the staged secret and names --use-staged', async () => {
    const out = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', join(cwd, 'other.secret'), '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(1);
    expect((out.json as Failure).actions?.join(' ')).to.include('--use-staged');
    expect(consumer(e2e).staged?.state).to.equal('Active');
    expect(existsSync(join(cwd, 'other.secret'))).to.equal(false);
  });

  it('a failed rotate (fault) changes nothing: exit 1, staged still Active, the leaked key still primary', async () => {
    e2e.emu.setFaults({ failNthWrite: 1 });
    try {
      const out = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--use-staged', '--json'], { cwd });
      expect(out.exitCode, describeResult(out)).to.equal(1);
      const { result } = out.json as RotateEnvelope;
      expect(result.rotated).to.equal(false);
      expect(result.steps.map((s) => `${s.step}:${s.status}`)).to.deep.equal(['rotate:failed']);
      expect(result.staged?.state).to.equal('Active');
      expect(consumer(e2e).primary.key).to.equal(leaked.key);
      expect(consumer(e2e).staged?.state).to.equal('Active');
      await expectNoLeak(e2e, out, [...emulatorSecrets(e2e), leaked.secret], cwd, [secretFile]);
    } finally {
      e2e.emu.setFaults({});
    }
  });

  it('--use-staged --revoke-previous makes contain\'s secret primary and revokes the leaked one, with no new file; a re-run is refused', async () => {
    const contained = (await readFile(secretFile, 'utf8')).trim();
    const dry = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--use-staged', '--revoke-previous', '--dry-run', '--json'], { cwd });
    expect(dry.exitCode, describeResult(dry)).to.equal(0);
    expect((dry.json as RotateEnvelope).result.steps.map((s) => `${s.step}:${s.status}`)).to.deep.equal(['rotate:wouldRun', 'revokePrevious:wouldRun']);
    expect(consumer(e2e).primary.key).to.equal(leaked.key);

    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--use-staged', '--revoke-previous', '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(e2e.emu.requests, JSON.stringify(e2e.emu.requests.map((r) => `${r.method} ${r.path}`))).to.have.length(5);
    expect(writes(e2e)).to.have.length(2);
    const { result } = out.json as RotateEnvelope;
    expect(result).to.include({ rotated: true, previousRevoked: true, secretFile: null, previousConsumerKey: leaked.key, staged: null });
    expect(result.steps.map((s) => `${s.step}:${s.status}`)).to.deep.equal(['rotate:done', 'revokePrevious:done']);
    expect(result.steps[0].detail).to.include('no new secret file');
    expect(consumer(e2e).primary.secret).to.equal(contained);
    expect(consumer(e2e).primary.key).to.equal(result.consumerKey).and.not.equal(leaked.key);
    expect(consumer(e2e).staged ?? null).to.equal(null);
    await expectNoLeak(e2e, out, [...emulatorSecrets(e2e), leaked.secret, contained], cwd, [secretFile]);

    const human = await e2e.run(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--use-staged'], { cwd });
    expect(human.exitCode, describeResult(human)).to.equal(1);
    expect(human.stderr).to.include('no staged credentials to rotate to');
    await expectNoLeak(e2e, human, [...emulatorSecrets(e2e), leaked.secret, contained], cwd, [secretFile]);
    expect(consumer(e2e).primary.secret).to.equal(contained);
  });
});
