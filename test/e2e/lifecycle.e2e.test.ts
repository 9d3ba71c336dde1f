/** `sf integration user freeze / unfreeze` end to end against the org emulator. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';
import { emulatorSecrets, expectNoLeak } from './lifecycleSecrets.js';

type FreezeEnvelope = { status: number; result: { dryRun: boolean; users: Array<{ username: string; status: string; isFrozen: boolean }>; writeRequests: number } };
type Failure = { status: number; name: string; message: string; actions?: string[] };

const frozen = (e2e: E2E, username: string): boolean => {
  const user = e2e.emu.db.records('User').find((u) => u.Username === username);
  return e2e.emu.db.records('UserLogin').find((l) => l.UserId === user?.Id)?.IsFrozen === true;
};
const apiRequests = (e2e: E2E) => e2e.emu.requests.filter((r) => r.path.startsWith('/services/'));
const writes = (e2e: E2E) => apiRequests(e2e).filter((r) => r.method !== 'GET' && !(r.method === 'POST' && r.path.endsWith('/composite') && r.status === 200 && false));

describe('e2e: sf integration user freeze / unfreeze', function () {
  this.timeout(240_000);
  let e2e: E2E;
  let cwd: string;
  before(async () => {
    e2e = await startE2E({ link: true, seed: { scale: 60 } });
    cwd = await mkdtemp(join(tmpdir(), 'iu-lifecycle-'));
  });
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('freezes an integration user through the real sf, then a re-run writes nothing', async () => {
    e2e.emu.resetRequestLog();
    const out = await e2e.sf(['integration', 'user', 'freeze', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--reason', 'INC-1', '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as FreezeEnvelope;
    expect(result.users[0]).to.include({ status: 'frozen', isFrozen: true });
    expect(frozen(e2e, 'billing.sync@acme.example.com')).to.equal(true);
    expect(apiRequests(e2e).filter((r) => r.path.includes('/services/data/v')).length).to.be.at.most(2);
    await expectNoLeak(e2e, out, emulatorSecrets(e2e), cwd);

    e2e.emu.resetRequestLog();
    const again = await e2e.run(['integration', 'user', 'freeze', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--json'], { cwd });
    expect(again.exitCode, describeResult(again)).to.equal(0);
    expect((again.json as FreezeEnvelope).result.users[0].status).to.equal('unchanged');
    expect((again.json as FreezeEnvelope).result.writeRequests).to.equal(0);
    expect(apiRequests(e2e).filter((r) => r.path.includes('/composite/sobjects'))).to.have.length(0);
  });

  it('freezes 10 users in at most 3 requests, and unfreezes them', async () => {
    const users = e2e.emu.db
      .records('User')
      .filter((u) => /^(int|integration)/.test(String(u.Username)) || String(u.Username).includes('scale'))
      .map((u) => String(u.Username));
    const integration = e2e.emu.db.records('User').filter((u) => {
      const profile = e2e.emu.db.records('Profile').find((p) => p.Id === u.ProfileId);
      const license = e2e.emu.db.records('UserLicense').find((l) => l.Id === profile?.UserLicenseId);
      return license?.Name === 'Salesforce Integration' && u.IsActive === true;
    }).map((u) => String(u.Username)).slice(0, 10);
    expect(integration.length, `integration users in the seed (${users.length} scale users)`).to.equal(10);
    const args = integration.flatMap((u) => ['-u', u]);
    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'user', 'freeze', '-o', 'emu', ...args, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect(apiRequests(e2e).length, JSON.stringify(apiRequests(e2e).map((r) => `${r.method} ${r.path}`))).to.be.at.most(3);
    for (const u of integration) expect(frozen(e2e, u), u).to.equal(true);
    e2e.emu.resetRequestLog();
    const un = await e2e.run(['integration', 'user', 'unfreeze', '-o', 'emu', ...args, '--json'], { cwd });
    expect(un.exitCode, describeResult(un)).to.equal(0);
    expect(apiRequests(e2e).length).to.be.at.most(3);
    for (const u of integration) expect(frozen(e2e, u), u).to.equal(false);
  });

  it('--dry-run writes nothing; a human user is refused unless --allow-non-integration-user; unknown users all reported', async () => {
    const dry = await e2e.run(['integration', 'user', 'freeze', '-o', 'emu', '-u', 'shared.connector@acme.example.com', '--dry-run', '--json'], { cwd });
    expect(dry.exitCode, describeResult(dry)).to.equal(0);
    expect((dry.json as FreezeEnvelope).result.users[0].status).to.equal('wouldFreeze');
    expect(frozen(e2e, 'shared.connector@acme.example.com')).to.equal(false);

    e2e.emu.resetRequestLog();
    const human = await e2e.run(['integration', 'user', 'freeze', '-o', 'emu', '-u', 'jane.doe@acme.example.com', '-u', 'nobody@acme.example.com', '--json'], { cwd });
    expect(human.exitCode, describeResult(human)).to.equal(1);
    const err = human.json as Failure;
    expect(err.message).to.include('2 problems found before writing');
    expect(err.message).to.include('jane.doe@acme.example.com');
    expect(err.actions?.join(' ')).to.include('--allow-non-integration-user');
    expect(writes(e2e).filter((r) => r.method === 'PATCH')).to.have.length(0);
    expect(frozen(e2e, 'jane.doe@acme.example.com')).to.equal(false);
    const allowed = await e2e.run(['integration', 'user', 'freeze', '-o', 'emu', '-u', 'jane.doe@acme.example.com', '--allow-non-integration-user', '--json'], { cwd });
    expect(allowed.exitCode, describeResult(allowed)).to.equal(0);
    expect(frozen(e2e, 'jane.doe@acme.example.com')).to.equal(true);
  });

  it('reports the org state truthfully when the write answer is lost (fault), and one failure among two is exit 68', async () => {
    e2e.emu.setFaults({ dropResponseAfterCommit: 1 });
    try {
      const out = await e2e.run(['integration', 'user', 'freeze', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--json'], { cwd });
      expect(frozen(e2e, 'legacy.etl@acme.example.com')).to.equal(true);
      expect(out.exitCode, describeResult(out)).to.equal(0);
      expect((out.json as FreezeEnvelope).result.users[0]).to.include({ status: 'frozen', isFrozen: true });
    } finally {
      e2e.emu.setFaults({});
    }
    // Both frozen before the unfreeze (earlier tests may have unfrozen billing.sync).
    for (const name of ['billing.sync@acme.example.com', 'legacy.etl@acme.example.com']) {
      const row = e2e.emu.db.records('UserLogin').find((l) => l.UserId === e2e.emu.db.records('User').find((u) => u.Username === name)?.Id);
      if (row) e2e.emu.db.update(row, { IsFrozen: true });
    }
    e2e.emu.db.commit();
    e2e.emu.setFaults({ failNthWrite: 1 });
    try {
      const out = await e2e.run(['integration', 'user', 'unfreeze', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '-u', 'billing.sync@acme.example.com', '--json'], { cwd });
      expect(out.exitCode, describeResult(out)).to.equal(68);
      const statuses = (out.json as FreezeEnvelope).result.users.map((u) => u.status).sort();
      expect(statuses).to.deep.equal(['failed', 'unfrozen']);
    } finally {
      e2e.emu.setFaults({});
    }
  });
});

describe('e2e: freeze without Manage Users', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ runningUser: 'restricted' });
  });
  after(async () => e2e?.close());

  it('is refused before any write, naming the permission', async () => {
    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'user', 'freeze', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    expect((out.json as Failure).message).to.include('Manage Users');
    expect(e2e.emu.requests.filter((r) => r.method === 'PATCH' || r.path.includes('/composite/sobjects'))).to.have.length(0);
    expect(frozen(e2e, 'billing.sync@acme.example.com')).to.equal(false);
  });
});
