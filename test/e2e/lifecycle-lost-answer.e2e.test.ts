/**
 * Lifecycle commands through the real `sf` when a write's answer is lost (the org commits, then the socket
 * closes): the command re-reads the org, and a change the re-read shows made is a success — no `error` on the
 * user, exit 0, `interrupted` in the result and one warning in the JSON envelope (and on stderr) saying the
 * answer was lost. And a misspelt username or app name gets "did you mean …?", every unknown one at once.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';

type Interrupted = { reason: string; complete: boolean };
type FreezeEnvelope = { status: number; result: { users: Array<{ username: string; status: string; isFrozen: boolean; error?: string }>; interrupted?: Interrupted }; warnings: string[] };
type ActiveEnvelope = { status: number; result: { status: string; isActive: boolean; error?: string; interrupted?: Interrupted }; warnings: string[] };
type RevokeEnvelope = { status: number; result: { apps: Array<{ app: string; status: string; error?: string }>; interrupted?: Interrupted }; warnings: string[] };
type PasswordEnvelope = { status: number; result: { set: boolean; error?: string; interrupted?: Interrupted }; warnings: string[] };
type ContainEnvelope = { status: number; result: { steps: Array<{ step: string; status: string; detail: string }>; interrupted?: Interrupted }; warnings: string[] };
type RotateEnvelope = { status: number; result: { rotated: boolean; steps: Array<{ step: string; status: string; detail?: string }>; interrupted?: Interrupted }; warnings: string[] };
type Failure = { status: number; name: string; message: string; actions?: string[] };

const LOST = 'the answer was lost; a re-read shows the change was made';
const user = (e2e: E2E, username: string) => e2e.emu.db.records('User').find((u) => u.Username === username);
const tokenCount = (e2e: E2E, username: string): number => e2e.emu.db.records('OauthToken').filter((t) => t.UserId === user(e2e, username)?.Id).length;
const isFrozen = (e2e: E2E, username: string): boolean =>
  e2e.emu.db.records('UserLogin').find((l) => l.UserId === user(e2e, username)?.Id)?.IsFrozen === true;

describe('e2e: lifecycle commands after a lost answer, and "did you mean" for misspelt names', function () {
  this.timeout(300_000);
  let e2e: E2E;
  let cwd: string;
  before(async () => {
    e2e = await startE2E({ link: true });
    cwd = await mkdtemp(join(tmpdir(), 'iu-lost-answer-'));
  });
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('freeze then unfreeze with the answer lost: exit 0, status from the re-read, no error on the user, one warning, interrupted', async () => {
    const username = 'billing.sync@acme.example.com';
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const out = await e2e.sf(['integration', 'user', 'freeze', '-o', 'emu', '-u', username, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const env = out.json as FreezeEnvelope;
    expect(env.result.users[0]).to.include({ status: 'frozen', isFrozen: true });
    expect(env.result.users[0]).not.to.have.property('error');
    expect(env.result.interrupted?.complete).to.equal(true);
    expect(env.warnings).to.have.length(1);
    expect(env.warnings[0]).to.include(LOST);
    expect(isFrozen(e2e, username)).to.equal(true);

    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const text = await e2e.sf(['integration', 'user', 'unfreeze', '-o', 'emu', '-u', username], { cwd });
    expect(text.exitCode, describeResult(text)).to.equal(0);
    expect(text.stdout).to.include('unfrozen');
    expect(text.stdout).not.to.match(/fetch failed|answer was lost/);
    expect(text.stderr).to.include(LOST);
    expect(isFrozen(e2e, username)).to.equal(false);
  });

  it('deactivate then reactivate with the answer lost: exit 0, no error, one warning, interrupted', async () => {
    const username = 'legacy.etl@acme.example.com';
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const out = await e2e.sf(['integration', 'user', 'deactivate', '-o', 'emu', '-u', username, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const env = out.json as ActiveEnvelope;
    expect(env.result).to.include({ status: 'deactivated', isActive: false });
    expect(env.result).not.to.have.property('error');
    expect(env.result.interrupted?.complete).to.equal(true);
    expect(env.warnings).to.have.length(1);
    expect(env.warnings[0]).to.include(LOST);
    expect(user(e2e, username)?.IsActive).to.equal(false);

    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const text = await e2e.sf(['integration', 'user', 'reactivate', '-o', 'emu', '-u', username], { cwd });
    expect(text.exitCode, describeResult(text)).to.equal(0);
    expect(text.stdout).not.to.match(/fetch failed|answer was lost/);
    expect(text.stderr).to.include(LOST);
    expect(user(e2e, username)?.IsActive).to.equal(true);
  });

  it('deactivate --remove-grants with the grants answer lost: each grant as the org holds it (removed), exit 0, one warning, interrupted; a re-run finds nothing to remove', async () => {
    const username = 'old.integration@acme.example.com';
    type Grant = { status: string; assignmentId: string; error?: string };
    const held = (ids: string[]): number =>
      ['PermissionSetLicenseAssign', 'PermissionSetAssignment'].flatMap((o) => e2e.emu.db.records(o)).filter((a) => ids.includes(String(a.Id))).length;
    const before = (out: { json?: unknown }): Grant[] => (out.json as { result: { grants: Grant[] } }).result.grants;
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const out = await e2e.sf(['integration', 'user', 'deactivate', '-o', 'emu', '-u', username, '--remove-grants', '--force', '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const env = out.json as ActiveEnvelope;
    const grants = before(out);
    expect(grants.length).to.be.greaterThan(0);
    for (const g of grants) {
      expect(g.status).to.equal('removed');
      expect(g).not.to.have.property('error');
    }
    expect(env.result.interrupted?.complete).to.equal(true);
    expect(env.warnings).to.have.length(1);
    expect(env.warnings[0]).to.include(LOST);
    expect(held(grants.map((g) => g.assignmentId))).to.equal(0);
    const again = await e2e.sf(['integration', 'user', 'deactivate', '-o', 'emu', '-u', username, '--remove-grants', '--force', '--json'], { cwd });
    expect(again.exitCode, describeResult(again)).to.equal(0);
    expect(before(again)).to.deep.equal([]);
  });

  it('revoke-tokens with the answer lost: exit 0, the app revoked with no error, one warning, interrupted', async () => {
    const username = 'shared.connector@acme.example.com';
    expect(tokenCount(e2e, username)).to.be.greaterThan(0);
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const out = await e2e.sf(['integration', 'user', 'revoke-tokens', '-o', 'emu', '-u', username, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const env = out.json as RevokeEnvelope;
    for (const app of env.result.apps) {
      expect(app.status).to.equal('revoked');
      expect(app).not.to.have.property('error');
    }
    expect(env.result.interrupted?.complete).to.equal(true);
    expect(env.warnings).to.have.length(1);
    expect(env.warnings[0]).to.include(LOST);
    expect(tokenCount(e2e, username)).to.equal(0);
  });

  it('password with the answer lost: exit 0, set, no error, one warning, interrupted; the file holds the password the org took', async () => {
    const file = join(cwd, 'legacy.password');
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const out = await e2e.sf(['integration', 'user', 'password', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--password-file', file, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const env = out.json as PasswordEnvelope;
    expect(env.result.set).to.equal(true);
    expect(env.result).not.to.have.property('error');
    expect(env.result.interrupted?.complete).to.equal(true);
    expect(env.warnings).to.have.length(1);
    expect(env.warnings[0]).to.include(LOST);
    expect((await readFile(file, 'utf8')).trim()).to.have.length(40);
    expect(user(e2e, 'legacy.etl@acme.example.com')?.LastPasswordChangeDate).to.be.a('string');
  });

  it('contain with the freeze answer lost: exit 0, the freeze step done without the error text, one warning, interrupted', async () => {
    const username = 'shared.connector@acme.example.com';
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const out = await e2e.sf(['integration', 'user', 'contain', '-o', 'emu', '-u', username, '--incident-file', join(cwd, 'incident.json'), '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const env = out.json as ContainEnvelope;
    const freeze = env.result.steps.find((s) => s.step === 'freeze');
    expect(freeze).to.include({ status: 'done', detail: 'frozen' });
    expect(env.result.interrupted?.complete).to.equal(true);
    expect(env.warnings).to.have.length(1);
    expect(env.warnings[0]).to.include(LOST);
    expect(isFrozen(e2e, username)).to.equal(true);
  });

  it('app rotate with the staging answer lost: exit 0, read back, one warning in the envelope, interrupted', async () => {
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    const out = await e2e.sf(['integration', 'app', 'rotate', '-o', 'emu', '-n', 'Billing_Sync', '--secret-file', join(cwd, 'rotated.secret'), '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const env = out.json as RotateEnvelope;
    expect(env.result.rotated).to.equal(true);
    expect(env.result.steps.every((s) => s.status === 'done')).to.equal(true);
    expect(env.result.interrupted?.complete).to.equal(true);
    expect(env.warnings).to.have.length(1);
    expect(env.warnings[0]).to.include(LOST);
  });

  it('freeze with two misspelt usernames: exit 1, one error naming both with "did you mean", nothing written', async () => {
    e2e.emu.resetRequestLog();
    const out = await e2e.sf(['integration', 'user', 'freeze', '-o', 'emu', '-u', 'biling.sync@acme.example.com', '-u', 'shared.conector@acme.example.com', '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(1);
    const failure = out.json as Failure;
    expect(failure.message).to.include('2 problems');
    expect(failure.message).to.include('"biling.sync@acme.example.com" in this org. Did you mean billing.sync@acme.example.com?');
    expect(failure.message).to.include('"shared.conector@acme.example.com" in this org. Did you mean shared.connector@acme.example.com?');
    expect(e2e.emu.requests.filter((r) => r.method === 'PATCH' || r.path.includes('/composite/sobjects'))).to.have.length(0);
  });

  it('deactivate, display and app credentials with a misspelt name say "did you mean"', async () => {
    const deactivate = await e2e.sf(['integration', 'user', 'deactivate', '-o', 'emu', '-u', 'legacy.elt@acme.example.com', '--json'], { cwd });
    expect(deactivate.exitCode, describeResult(deactivate)).to.equal(1);
    expect((deactivate.json as Failure).message).to.include('Did you mean legacy.etl@acme.example.com?');

    const display = await e2e.sf(['integration', 'user', 'display', '-o', 'emu', '-u', 'billing.synk@acme.example.com', '--json'], { cwd });
    expect(display.exitCode, describeResult(display)).to.equal(1);
    expect((display.json as Failure).message).to.include('Did you mean billing.sync@acme.example.com?');

    const app = await e2e.sf(['integration', 'app', 'credentials', '-o', 'emu', '-n', 'Biling_Sync', '--secret-file', join(cwd, 'x.secret'), '--json'], { cwd });
    expect(app.exitCode, describeResult(app)).to.equal(1);
    expect((app.json as Failure).message).to.include('Did you mean Billing_Sync?');
  });
});
