/**
 * Spec problems end to end through bin/run.js against the org emulator: seats across a spec counted once
 * and truthfully, misspelt names with "Did you mean" at the key's own line:column, and every problem of a
 * spec (schema, fields, names, seats) in one error.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';

type Failure = { status: number; name: string; message: string; actions?: string[] };

describe('e2e: spec problems (plan/apply)', function () {
  this.timeout(300_000);
  let e2e: E2E;
  let dir: string;
  before(async () => {
    e2e = await startE2E();
    dir = await mkdtemp(join(tmpdir(), 'iu-spec-problems-'));
  });
  after(async () => {
    await e2e?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const seats = (): { total: number; used: number } => {
    const license = e2e.emu.db.records('UserLicense').find((l) => l.Name === 'Salesforce Integration');
    return { total: Number(license?.TotalLicenses), used: Number(license?.UsedLicenses) };
  };

  it('three new integrations against an org with one seat left: the true count and the need, once', async () => {
    const { total, used } = seats();
    const free = total - used;
    const count = free + 2;
    const spec = join(dir, 'seats.yaml');
    const entries = Array.from({ length: count }, (_, i) => `  - name: Seat Test ${i + 1}\n`).join('');
    await writeFile(spec, `version: 1\nintegrations:\n${entries}`);
    for (const command of ['plan', 'apply']) {
      const out = await e2e.run(['integration', 'user', command, '-o', 'emu', '-f', spec, '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(1);
      const err = out.json as Failure;
      expect(err.message).to.include(`${used} of ${total} used; this spec needs ${count}`);
      expect(err.message.match(/Salesforce Integration user license/g), err.message).to.have.length(1);
      expect(err.message).not.to.match(new RegExp(`\\b(${total + 1}|${total + 2}) of ${total} used`));
    }
    expect(seats().used).to.equal(used);
  });

  it('misspelt set and group: "Did you mean" with the key\'s own line:column', async () => {
    const spec = join(dir, 'names.yaml');
    await writeFile(
      spec,
      ['version: 1', 'integrations:', '  - name: Typo Sync', '    username: typo.sync@acme.example.com', '    permissionSets: [Biling_Sync_Access]', '    permissionSetGroups: [Integration_Bundel]', ''].join('\n')
    );
    const out = await e2e.run(['integration', 'user', 'plan', '-o', 'emu', '-f', spec, '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    const err = out.json as Failure;
    expect(err.message).to.include(`${spec}:5:22: integrations[0].permissionSets[0]:`);
    expect(err.message).to.include(`${spec}:6:27: integrations[0].permissionSetGroups[0]:`);
    const actions = (err.actions ?? []).join('\n');
    expect(actions).to.include('Billing_Sync_Access');
    expect(actions).to.include('Integration_Bundle');
    // and for people: the suggestions under "Try this"
    const text = await e2e.run(['integration', 'user', 'apply', '-o', 'emu', '-f', spec]);
    expect(text.exitCode, describeResult(text)).to.equal(1);
    expect(text.stderr).to.match(/Try this:[\s\S]*Did you mean: Billing_Sync_Access\?[\s\S]*Did you mean: Integration_Bundle\?/);
    expect(text.stderr).to.include(`${spec}:5:22: integrations[0].permissionSets[0]:`);
  });

  it('a control character in name is worded by key; alias and email point at their own keys', async () => {
    const spec = join(dir, 'fields.yaml');
    await writeFile(
      spec,
      ['version: 1', 'integrations:', '  - name: "Ctl\\u0007Sync"', '    username: ctl.sync@acme.example.com', '  - name: Field Sync', '    alias: fifteen_chars_x', '    email: not-an-email', ''].join('\n')
    );
    const out = await e2e.run(['integration', 'user', 'plan', '-o', 'emu', '-f', spec, '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    const err = out.json as Failure;
    expect(err.message).not.to.include('--name');
    expect(err.message).to.match(new RegExp(`${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: integrations\\[0\\]\\.name: .*control character`));
    expect(err.message).to.include(`${spec}:6:12: integrations[1].alias:`);
    expect(err.message).to.include(`${spec}:7:12: integrations[1].email:`);
  });

  it('every problem at once: a bad date, a long alias, a bad email, a misspelt set and too few seats in one error', async () => {
    const { total, used } = seats();
    const count = total - used + 1;
    const spec = join(dir, 'all.yaml');
    const extra = Array.from({ length: count - 1 }, (_, i) => `  - name: All Extra ${i + 1}\n`).join('');
    await writeFile(
      spec,
      [
        'version: 1',
        'integrations:',
        '  - name: All Sync',
        '    alias: fifteen_chars_x',
        '    email: not-an-email',
        '    permissionSets:',
        '      - name: Biling_Sync_Access',
        '        expires: 2027-02-30',
        '',
      ].join('\n') + extra
    );
    for (const command of ['plan', 'apply']) {
      const out = await e2e.run(['integration', 'user', command, '-o', 'emu', '-f', spec, '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(1);
      const err = out.json as Failure;
      expect(err.message).to.include(`${spec}:8:18: integrations[0].permissionSets[0].expires:`);
      expect(err.message).to.include(`${spec}:4:12: integrations[0].alias:`);
      expect(err.message).to.include(`${spec}:5:12: integrations[0].email:`);
      expect(err.message).to.include(`${spec}:7:15: integrations[0].permissionSets[0].name:`);
      expect(err.message).to.include(`${used} of ${total} used; this spec needs ${count}`);
      expect((err.actions ?? []).join('\n')).to.include('Billing_Sync_Access');
    }
    expect(seats().used).to.equal(used);
  });
});
