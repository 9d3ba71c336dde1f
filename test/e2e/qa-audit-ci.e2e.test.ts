/**
 * QA as a CI pipeline: audit report files and exit codes with a baseline, a misspelt --user, an unknown
 * report extension, an org lacking permission fields; a spec edited in odd ways.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';

type Failure = { status: number; name: string; message: string; actions?: string[] };
type AuditEnvelope = {
  status: number;
  result: {
    summary: { findings: number; suppressed: number; exitCode: number; staleBaselineEntries: unknown[] };
    findings: Array<{ ruleId: string; user: string | null; fingerprint: string }>;
    rulesNotEvaluated: unknown[];
  };
  warnings: string[];
};

describe('e2e (QA): audit in CI and odd specs', function () {
  this.timeout(300_000);
  let e2e: E2E;
  let dir: string;
  before(async () => {
    e2e = await startE2E();
    dir = await mkdtemp(join(tmpdir(), 'iu-qa-audit-'));
  });
  after(async () => {
    await e2e?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('an --output-file with an unknown extension stops the audit (exit 1) before any report is written', async () => {
    const out = await e2e.run([
      'integration', 'user', 'audit', '-o', 'emu', '--output-file', join(dir, 'a.sarif'), '--output-file', join(dir, 'a.txt'), '--json',
    ]);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    expect((out.json as Failure).actions?.join(' ')).to.include('--output-format');
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('writes SARIF, JUnit, Markdown and JSON on exit 3; the JSON report equals the --json result', async () => {
    const files = ['a.sarif', 'a.xml', 'a.md', 'a.json'].map((f) => join(dir, f));
    const out = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', ...files.flatMap((f) => ['--output-file', f]), '--json']);
    expect(out.exitCode, describeResult(out)).to.equal(3);
    const env = out.json as AuditEnvelope;
    const sarif = JSON.parse(await readFile(files[0], 'utf8')) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(sarif.version).to.equal('2.1.0');
    expect(sarif.runs[0].results).to.have.length(env.result.findings.length);
    expect(await readFile(files[1], 'utf8')).to.match(/^<\?xml[^>]*>\s*<testsuites [^>]*failures="[1-9]/);
    expect(await readFile(files[2], 'utf8')).to.include('IU004');
    const report = JSON.parse(await readFile(files[3], 'utf8')) as AuditEnvelope['result'];
    expect(report.findings.map((f) => f.fingerprint)).to.deep.equal(env.result.findings.map((f) => f.fingerprint));
    for (const f of files) await rm(f);
  });

  it('baseline: accepted findings pass (exit 0); a new finding alone fails (exit 3); a stale entry is reported', async () => {
    const baseline = join(dir, 'baseline.json');
    const write = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--write-baseline', baseline, '--json']);
    expect(write.exitCode, describeResult(write)).to.equal(0);
    const accepted = (write.json as AuditEnvelope).result.summary.suppressed;
    expect(accepted).to.be.greaterThan(0);

    const clean = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--baseline', baseline, '--json']);
    expect(clean.exitCode, describeResult(clean)).to.equal(0);
    expect((clean.json as AuditEnvelope).result.summary.findings).to.equal(0);

    // a new risky grant: Modify All on Account for billing.sync
    const granted = await e2e.run(['integration', 'user', 'assign', '-o', 'emu', '-b', 'billing.sync@acme.example.com', '-p', 'Account_Modify_All', '--json']);
    expect(granted.exitCode, describeResult(granted)).to.equal(0);
    const fresh = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--baseline', baseline, '--json']);
    expect(fresh.exitCode, describeResult(fresh)).to.equal(3);
    const findings = (fresh.json as AuditEnvelope).result.findings;
    expect(findings.map((f) => `${f.ruleId} ${f.user}`)).to.deep.equal(['IU005 billing.sync@acme.example.com']);

    const stale = join(dir, 'stale.json');
    await writeFile(stale, JSON.stringify({ version: 1, generatedAt: '2026-01-01T00:00:00Z', findings: [{ fingerprint: 'ffff', ruleId: 'IU003', user: 'nobody@acme.example.com' }] }));
    const withStale = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--baseline', stale, '--fail-on', 'none', '--json']);
    expect(withStale.exitCode, describeResult(withStale)).to.equal(0);
    const env = withStale.json as AuditEnvelope;
    expect(env.result.summary.staleBaselineEntries).to.have.length(1);
    expect(env.warnings.some((w) => w.includes('nobody@acme.example.com'))).to.equal(true);
  });

  it('a misspelt --user next to a good one stops the audit (exit 1) with a did-you-mean', async () => {
    const out = await e2e.run([
      'integration', 'user', 'audit', '-o', 'emu', '--user', 'billing.sync@acme.example.com', '--user', 'bilingsync@acme.example.com', '--json',
    ]);
    expect(out.exitCode, describeResult(out)).to.equal(1);
    const err = out.json as Failure;
    expect(err.message).to.include('bilingsync@acme.example.com');
    expect(err.actions?.join(' ')).to.include('did you mean billing.sync@acme.example.com');
  });

  it('a spec with a set listed twice, a name used twice in another case, a secret key and an Id: every problem at once, with line:column, secret not echoed', async () => {
    const spec = join(dir, 'odd.yaml');
    await writeFile(
      spec,
      [
        'version: 1',
        'integrations:',
        '  - name: Billing Sync',
        '    username: billing.sync@acme.example.com',
        '    permissionSets:',
        '      - Billing_Sync_Access',
        '      - Billing_Sync_Access',
        '  - name: billing sync',
        '    username: other@acme.example.com',
        '  - name: Bad Things',
        '    passwd: hunter2-not-a-real-one',
        '  - name: Id User',
        '    username: 005000000000001AAA',
        '',
      ].join('\n')
    );
    const before = e2e.emu.db.records('User').length;
    for (const command of ['plan', 'apply']) {
      const out = await e2e.run(['integration', 'user', command, '-o', 'emu', '-f', spec, '--json']);
      expect(out.exitCode, describeResult(out)).to.equal(1);
      const err = out.json as Failure;
      // the spec's own problems and the plan's (a username not shaped as one, the seats) in one error
      expect(err.message, err.message).to.include('6 problems');
      expect(err.message).to.include('Not enough Salesforce Integration user licenses');
      expect(err.message).to.include(`${spec}:7:`);
      expect(err.message).to.include(`${spec}:8:`);
      expect(err.message).to.include(`${spec}:11:`);
      expect(err.message).to.include(`${spec}:13:`);
      expect(out.stdout + out.stderr).to.not.include('hunter2-not-a-real-one');
    }
    expect(e2e.emu.db.records('User').length).to.equal(before);
    expect(existsSync(spec)).to.equal(true);
  });
});

describe('e2e (QA): audit of an org that lacks permission fields', function () {
  this.timeout(300_000);
  let full: E2E;
  let lacking: E2E;
  before(async () => {
    full = await startE2E();
    lacking = await startE2E({ absentFields: ['PermissionSet.PermissionsMonitorLoginHistory'] });
  });
  after(async () => {
    await full?.close();
    await lacking?.close();
  });

  it('reports the same findings and exit code as on a full org, with no rule dropped', async () => {
    const a = await full.run(['integration', 'user', 'audit', '-o', 'emu', '--json']);
    const b = await lacking.run(['integration', 'user', 'audit', '-o', 'emu', '--json']);
    expect(b.exitCode, describeResult(b)).to.equal(a.exitCode);
    const key = (out: typeof a): string[] => (out.json as AuditEnvelope).result.findings.map((f) => f.fingerprint).sort();
    expect(key(b)).to.deep.equal(key(a));
    expect((b.json as AuditEnvelope).result.rulesNotEvaluated).to.deep.equal([]);
  });
});
