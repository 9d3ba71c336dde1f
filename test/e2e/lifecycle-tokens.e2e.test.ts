/** `sf integration user revoke-tokens` end to end against the org emulator (connected apps via oauth2/revoke, ECAs via OAuth Usage). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';
import { emulatorSecrets, expectNoLeak } from './lifecycleSecrets.js';

type AppOutcome = { app: string; method: string; before: number; revoked: number; remaining: number; status: string };
type Envelope = { status: number; result: { apps: AppOutcome[]; writeRequests: number; total: { revoked: number } } };

const tokensOf = (e2e: E2E, username: string) => {
  const id = e2e.emu.db.records('User').find((u) => u.Username === username)?.Id;
  return e2e.emu.db.records('OauthToken').filter((t) => t.UserId === id);
};

describe('e2e: sf integration user revoke-tokens', function () {
  this.timeout(240_000);
  let e2e: E2E;
  let cwd: string;
  before(async () => {
    e2e = await startE2E();
    cwd = await mkdtemp(join(tmpdir(), 'iu-tokens-'));
  });
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('--dry-run lists, then --app revokes one app only; counts per app; delete tokens never shown', async () => {
    const secrets = emulatorSecrets(e2e);
    const dry = await e2e.run(['integration', 'user', 'revoke-tokens', '-o', 'emu', '-u', 'shared.connector@acme.example.com', '--dry-run', '--json'], { cwd });
    expect(dry.exitCode, describeResult(dry)).to.equal(0);
    expect((dry.json as Envelope).result.apps.map((a) => a.status)).to.deep.equal(['wouldRevoke', 'wouldRevoke']);
    expect(tokensOf(e2e, 'shared.connector@acme.example.com')).to.have.length(2);
    const out = await e2e.run(['integration', 'user', 'revoke-tokens', '-o', 'emu', '-u', 'shared.connector@acme.example.com', '--app', 'Zapier', '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect((out.json as Envelope).result.apps).to.deep.equal([{ app: 'Zapier', method: 'revokeEndpoint', before: 1, remaining: 0, revoked: 1, status: 'revoked' }]);
    expect(tokensOf(e2e, 'shared.connector@acme.example.com').map((t) => t.AppName)).to.deep.equal(['Workato']);
    await expectNoLeak(e2e, dry, secrets, cwd);
    await expectNoLeak(e2e, out, secrets, cwd);
  });

  it('revokes an ECA\'s tokens with one OAuth Usage request, and a re-run has nothing to do', async () => {
    const billing = e2e.emu.db.records('User').find((u) => u.Username === 'billing.sync@acme.example.com');
    for (let i = 0; i < 3; i++) {
      e2e.emu.db.insert('OauthToken', { UserId: billing?.Id, AppName: 'Billing Sync', UseCount: i, DeleteToken: `billing-delete-token-${i}`, LastUsedDate: new Date().toISOString(), CreatedDate: new Date().toISOString() });
    }
    e2e.emu.db.commit();
    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'user', 'revoke-tokens', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    expect((out.json as Envelope).result.apps).to.deep.equal([{ app: 'Billing Sync', method: 'oauthUsage', before: 3, remaining: 0, revoked: 3, status: 'revoked' }]);
    expect(e2e.emu.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/apps/oauth/usage/'))).to.have.length(1);
    expect(e2e.emu.requests.filter((r) => r.path.startsWith('/services/'))).to.have.length(3);
    expect(tokensOf(e2e, 'billing.sync@acme.example.com')).to.have.length(0);
    const again = await e2e.run(['integration', 'user', 'revoke-tokens', '-o', 'emu', '-u', 'billing.sync@acme.example.com', '--json'], { cwd });
    expect(again.exitCode, describeResult(again)).to.equal(0);
    expect((again.json as Envelope).result).to.include({ writeRequests: 0 });
    expect((again.json as Envelope).result.apps).to.deep.equal([]);
  });

  it('a failed revocation among two apps is reported from a recount: exit 68', async () => {
    const reporting = e2e.emu.db.records('User').find((u) => u.Username === 'reporting.api@acme.example.com');
    e2e.emu.db.insert('OauthToken', { UserId: reporting?.Id, AppName: 'Power BI', UseCount: 1, DeleteToken: 'powerbi-delete-token', LastUsedDate: new Date().toISOString(), CreatedDate: new Date().toISOString() });
    e2e.emu.db.commit();
    e2e.emu.setFaults({ failNthWrite: 1 });
    try {
      const out = await e2e.run(['integration', 'user', 'revoke-tokens', '-o', 'emu', '-u', 'reporting.api@acme.example.com', '--allow-non-integration-user', '--json'], { cwd });
      expect(out.exitCode, describeResult(out)).to.equal(68);
      const apps = (out.json as Envelope).result.apps;
      expect(apps.map((a) => a.status).sort()).to.deep.equal(['failed', 'revoked']);
      expect(tokensOf(e2e, 'reporting.api@acme.example.com')).to.have.length(1);
    } finally {
      e2e.emu.setFaults({});
    }
  });
});

describe('e2e: revoke-tokens without the rights', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ runningUser: 'restricted' });
  });
  after(async () => e2e?.close());

  it('is refused before any revocation', async () => {
    const out = await e2e.run(['integration', 'user', 'revoke-tokens', '-o', 'emu', '-u', 'shared.connector@acme.example.com', '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    expect((out.json as { message: string }).message).to.match(/Customize Application|Manage Users/);
    expect(tokensOf(e2e, 'shared.connector@acme.example.com')).to.have.length(2);
  });
});
