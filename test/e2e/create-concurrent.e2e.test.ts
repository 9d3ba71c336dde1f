/**
 * Two `sf integration user create` runs for the same user at the same time, through the real sf against one
 * emulator. The race is staged with the emulator's `holdWritesUntilReads` fault: the first write request waits
 * until the other run's read has been answered, so both runs see "no such user" before either writes. One
 * creates the user; the other is refused by the org (DUPLICATE_USERNAME), re-reads, and is told that the user
 * was created meanwhile and that a re-run converges — not that the username is used in another org.
 */
import { expect } from 'chai';
import { describeResult, startE2E, type CliResult, type E2E } from './harness.js';

type Success = { status: number; result: { username: string; created: boolean; changes: unknown[] } };
type Failure = { status: number; name: string; message: string; actions?: string[] };

const USERNAME = 'race.sync.integration@acme.example.com';
const ARGS = ['integration', 'user', 'create', '-o', 'emu', '--name', 'Race Sync', '-p', 'Billing_Sync_Access', '--json'];

describe('e2e: two concurrent sf integration user create for the same user', function () {
  this.timeout(240_000);
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ link: true });
  });
  after(async () => e2e?.close());

  function grantsOf(userId: string): string[] {
    const { db } = e2e.emu;
    const psls = db.records('PermissionSetLicenseAssign').filter((a) => a.AssigneeId === userId);
    const sets = db
      .records('PermissionSetAssignment')
      .filter((a) => a.AssigneeId === userId)
      .map((a) => db.records('PermissionSet').find((p) => p.Id === a.PermissionSetId))
      .filter((p) => p && p.IsOwnedByProfile !== true);
    return [
      ...psls.map((a) => `psl:${String(db.records('PermissionSetLicense').find((l) => l.Id === a.PermissionSetLicenseId)?.DeveloperName)}`),
      ...sets.map((p) => `set:${String(p?.Name)}`),
    ].sort();
  }

  it('one creates the user; the other exits 1 "created meanwhile … re-run converges"; its re-run exits 0 with 0 writes', async () => {
    // create's first read is two composites of GETs (the user's state is in them); the first write waits until
    // the other run's two composite reads were answered, so both runs have read "no such user" before either writes.
    e2e.emu.setFaults({ holdWritesUntilReads: { writes: 1, reads: 2, match: '/composite', timeoutMs: 30_000 } });
    const runs: CliResult[] = await Promise.all([e2e.sf(ARGS), e2e.sf(ARGS)]);
    e2e.emu.setFaults({});
    const all = runs.map(describeResult).join('\n=====\n');
    const winner = runs.find((r) => r.exitCode === 0);
    const loser = runs.find((r) => r.exitCode !== 0);
    expect(winner, all).to.not.equal(undefined);
    expect(loser, all).to.not.equal(undefined);

    const won = (winner as CliResult).json as Success;
    expect(won.result).to.include({ username: USERNAME, created: true });

    expect((loser as CliResult).exitCode, all).to.equal(1);
    const lost = (loser as CliResult).json as Failure;
    expect(lost.name).to.equal('CreatedMeanwhileError');
    expect(lost.message).to.include(`Nothing was written by this run: the user ${USERNAME} was created in this org meanwhile`);
    expect((lost.actions ?? []).join(' ')).to.include('Run the same command again: it converges on that user and adds only what is missing.');
    expect(`${(loser as CliResult).stdout}${(loser as CliResult).stderr}`).to.not.match(/another Salesforce org|DUPLICATE_USERNAME/i);

    const users = e2e.emu.db.records('User').filter((u) => String(u.Username).toLowerCase() === USERNAME);
    expect(users, 'exactly one user').to.have.length(1);
    expect(grantsOf(users[0].Id)).to.deep.equal(['psl:SalesforceAPIIntegrationPsl', 'set:Billing_Sync_Access']);

    e2e.emu.resetRequestLog();
    const again = await e2e.sf(ARGS);
    expect(again.exitCode, describeResult(again)).to.equal(0);
    expect((again.json as Success).result).to.include({ username: USERNAME, created: false });
    expect((again.json as Success).result.changes).to.deep.equal([]);
    expect(e2e.emu.requests.length, 'the re-run reached the org').to.be.above(0);
    expect(e2e.emu.requests.filter((r) => r.writes > 0), 'the re-run writes nothing').to.deep.equal([]);
    expect(e2e.emu.db.records('User').filter((u) => String(u.Username).toLowerCase() === USERNAME)).to.have.length(1);
  });
});
