/** `sf integration user contain` end to end: freeze + revoke + stage, incident record, a fault mid-way, re-run. */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';
import { emulatorSecrets, expectNoLeak, modeOf } from './lifecycleSecrets.js';

type Step = { step: string; status: string; detail: string };
type Envelope = { status: number; result: { incidentFile: string; steps: Step[]; before: { isFrozen: boolean }; after: { isFrozen: boolean; tokensPerApp: Record<string, number> }; ranBy: string } };

const login = (e2e: E2E, username: string) => {
  const user = e2e.emu.db.records('User').find((u) => u.Username === username);
  return e2e.emu.db.records('UserLogin').find((l) => l.UserId === user?.Id);
};
const tokensOf = (e2e: E2E, username: string) => {
  const id = e2e.emu.db.records('User').find((u) => u.Username === username)?.Id;
  return e2e.emu.db.records('OauthToken').filter((t) => t.UserId === id);
};
const consumer = (e2e: E2E) => {
  const app = e2e.emu.db.records('ExternalClientApplication').find((a) => a.DeveloperName === 'Billing_Sync');
  const found = e2e.emu.lifecycle.consumers.get(String(app?.Id).slice(0, 15))?.[0];
  if (!found) throw new Error('no consumer');
  return found;
};

describe('e2e: sf integration user contain', function () {
  this.timeout(300_000);
  let e2e: E2E;
  let cwd: string;
  before(async () => {
    e2e = await startE2E();
    cwd = await mkdtemp(join(tmpdir(), 'iu-contain-'));
    const billing = e2e.emu.db.records('User').find((u) => u.Username === 'billing.sync@acme.example.com');
    e2e.emu.db.insert('OauthToken', { UserId: billing?.Id, AppName: 'Billing Sync', UseCount: 5, DeleteToken: 'billing-contain-delete-token', LastUsedDate: new Date().toISOString(), CreatedDate: new Date().toISOString() });
    e2e.emu.db.commit();
  });
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('freezes, revokes every token, stages a new secret into a 0600 file, and writes the incident record', async () => {
    const secrets = emulatorSecrets(e2e);
    const primaryBefore = consumer(e2e).primary.key;
    const secretFile = join(cwd, 'new.secret');
    const out = await e2e.run(['integration', 'user', 'contain', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--app', 'Billing_Sync', '--secret-file', secretFile, '--reason', 'INC-1', '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as Envelope;
    expect(result.steps.map((s) => `${s.step}:${s.status}`)).to.deep.equal(['freeze:done', 'revokeTokens:done', 'stageCredentials:done']);
    expect(login(e2e, 'billing.sync@acme.example.com')?.IsFrozen).to.equal(true);
    expect(tokensOf(e2e, 'billing.sync@acme.example.com')).to.have.length(0);
    expect(consumer(e2e).staged?.state).to.equal('Active');
    expect(consumer(e2e).primary.key, 'staged only: the old key stays primary').to.equal(primaryBefore);
    expect((await readFile(secretFile, 'utf8')).trim()).to.equal(consumer(e2e).staged?.secret);
    expect(await modeOf(secretFile)).to.equal(0o600);
    expect(result.incidentFile.startsWith(join(cwd, '.sf', 'incidents'))).to.equal(true);
    const record = JSON.parse(await readFile(result.incidentFile, 'utf8')) as Envelope['result'];
    expect(record).to.deep.include({ before: result.before, after: result.after });
    expect(record.before.isFrozen).to.equal(false);
    expect(record.after).to.deep.equal({ isFrozen: true, tokensPerApp: {} });
    expect(record.ranBy).to.equal(e2e.emu.username);
    expect(await modeOf(result.incidentFile)).to.equal(0o600);
    await expectNoLeak(e2e, out, [...secrets, ...emulatorSecrets(e2e)], cwd, [secretFile]);
  });

  it('a re-run changes nothing: each step unchanged, exit 0, a new incident record', async () => {
    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'user', 'contain', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--app', 'Billing_Sync', '--secret-file', join(cwd, 'second.secret'), '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect((out.json as Envelope).result.steps.map((s) => `${s.step}:${s.status}`)).to.deep.equal(['freeze:unchanged', 'revokeTokens:unchanged', 'stageCredentials:unchanged']);
    expect(e2e.emu.requests.filter((r) => ['PATCH', 'DELETE'].includes(r.method) || r.path.includes('/composite/sobjects') || (r.method === 'POST' && r.path.endsWith('/staged')))).to.have.length(0);
    expect(existsSync(join(cwd, 'second.secret'))).to.equal(false);
    expect(await readdir(join(cwd, '.sf', 'incidents'))).to.have.length(2);
  });

  it('a failed freeze (fault) does not stop the other steps: exit 68, the record says which failed', async () => {
    e2e.emu.setFaults({ failNthWrite: 1 });
    try {
      const incident = join(cwd, 'INC-2.json');
      const out = await e2e.run(['integration', 'user', 'contain', '-o', 'emu', '-u', 'shared.connector@acme.example.com', '--incident-file', incident, '--json'], { cwd });
      expect(out.exitCode, describeResult(out)).to.equal(68);
      const { result } = out.json as Envelope;
      expect(result.steps.map((s) => `${s.step}:${s.status}`)).to.deep.equal(['freeze:failed', 'revokeTokens:done']);
      expect(login(e2e, 'shared.connector@acme.example.com')?.IsFrozen).to.equal(false);
      expect(tokensOf(e2e, 'shared.connector@acme.example.com')).to.have.length(0);
      const record = JSON.parse(await readFile(incident, 'utf8')) as Envelope['result'];
      expect(record.steps[0].status).to.equal('failed');
      expect(record.after.isFrozen).to.equal(false);
      const rerun = await e2e.run(['integration', 'user', 'contain', '-o', 'emu', '-u', 'shared.connector@acme.example.com', '--incident-file', incident, '--json'], { cwd });
      expect(rerun.exitCode, 'an existing incident file is refused').to.equal(1);
    } finally {
      e2e.emu.setFaults({});
    }
  });
});
