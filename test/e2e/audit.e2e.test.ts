import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import type { AuditResult } from '../../src/commands/integration/user/audit.js';
import type { Baseline } from '../../src/shared/audit/baseline.js';
import { describeResult, startE2E, type E2E } from './harness.js';

const at = (name: string): string => `${name}@acme.example.com`;

/** The default seed's planted problems, by user (null = org-level). */
const PLANTED: Array<[string | null, string[]]> = [
  [at('warehouse.sync'), ['IU001', 'IU006', 'IU011']],
  [at('shared.connector'), ['IU004', 'IU005', 'IU007', 'IU008', 'IU009']],
  [at('legacy.etl'), ['IU002', 'IU010']],
  [at('erp.integration'), ['IU003', 'IU004']],
  [at('reporting.api'), ['IU003']],
  [at('old.integration'), ['IU011']],
  [null, ['IU012']],
];
const DONE_RIGHT = at('billing.sync');

type Envelope = { status: number; result: AuditResult; warnings?: string[] };
type ErrorEnvelope = { status: number; name: string; message: string };

const rulesOf = (result: AuditResult, user: string | null): string[] =>
  [...new Set(result.findings.filter((f) => f.user === user).map((f) => f.ruleId))].sort();

describe('e2e: integration user audit', function () {
  this.timeout(240_000);
  let e2e: E2E;
  let dir: string;

  before(async () => {
    e2e = await startE2E({ link: true });
    dir = await mkdtemp(join(tmpdir(), 'audit-e2e-'));
  });

  after(async () => {
    await e2e?.close();
  });

  it('through the real sf with --json: exit 3, every planted problem, nothing on the user done right', async () => {
    const run = await e2e.sf(['integration', 'user', 'audit', '-o', 'emu', '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(3);
    const { status, result } = run.json as Envelope;
    expect(status).to.equal(3);
    for (const [user, rules] of PLANTED) expect(rulesOf(result, user), String(user)).to.include.members(rules);
    expect(rulesOf(result, DONE_RIGHT)).to.deep.equal([]);
    const erpModifyAll = result.findings.find((f) => f.user === at('erp.integration') && f.ruleId === 'IU004' && f.evidence.permission === 'ModifyAllData');
    expect(erpModifyAll?.severity).to.equal('critical');
    expect(result.summary.exitCode).to.equal(3);
    expect(result.summary.findings).to.equal(result.findings.length);
    expect(result.rulesNotEvaluated).to.deep.equal([]);
    for (const f of result.findings) expect(f.fingerprint).to.match(/^[0-9a-f]{32}$/);
  });

  it('--fail-on none → 0; --fail-on critical → 3 (erp.integration has ModifyAllData)', async () => {
    const none = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--fail-on', 'none', '--json']);
    expect(none.exitCode, describeResult(none)).to.equal(0);
    expect((none.json as Envelope).result.summary).to.deep.include({ passed: true, exitCode: 0, failOn: 'none' });
    const critical = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--fail-on', 'critical', '--json']);
    expect(critical.exitCode, describeResult(critical)).to.equal(3);
  });

  it('--user billing.sync --fail-on low → 0: the user done right, no org-level findings in a scoped run', async () => {
    const run = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--user', DONE_RIGHT, '--fail-on', 'low', '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(0);
    const { result } = run.json as Envelope;
    expect(result.findings).to.deep.equal([]);
    expect(result.summary.users).to.deep.equal([DONE_RIGHT]);
  });

  it('human output: summary line, per-user blocks with the fix, exit 3', async () => {
    const run = await e2e.run(['integration', 'user', 'audit', '-o', 'emu']);
    expect(run.exitCode, describeResult(run)).to.equal(3);
    expect(run.stdout).to.match(/^\d+ findings \(\d+ critical/m);
    expect(run.stdout).to.include(at('erp.integration'));
    expect(run.stdout).to.match(/CRITICAL\s+IU004/);
    expect(run.stdout).to.include('Fix: ');
  });

  it('--output-file for each format: written on exit 3 and each parses back', async () => {
    const files = { json: join(dir, 'a.json'), sarif: join(dir, 'a.sarif'), junit: join(dir, 'junit.xml'), md: join(dir, 'a.md') };
    const run = await e2e.run([
      'integration', 'user', 'audit', '-o', 'emu', '--json',
      ...Object.values(files).flatMap((f) => ['--output-file', f]),
    ]);
    expect(run.exitCode, describeResult(run)).to.equal(3);
    const { result } = run.json as Envelope;
    expect(JSON.parse(await readFile(files.json, 'utf8'))).to.deep.equal(result);
    const sarif = JSON.parse(await readFile(files.sarif, 'utf8')) as { version: string; runs: Array<{ results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }> }> };
    expect(sarif.version).to.equal('2.1.0');
    expect(sarif.runs[0].results.map((r) => r.partialFingerprints['integrationUserFinding/v1'])).to.deep.equal(result.findings.map((f) => f.fingerprint));
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await readFile(files.junit, 'utf8')) as {
      testsuites: { failures: string; testsuite: unknown[] };
    };
    expect(junit.testsuites.testsuite).to.have.length(13);
    expect(Number(junit.testsuites.failures)).to.equal(new Set(result.findings.map((f) => `${f.ruleId}/${f.user ?? ''}`)).size);
    const md = await readFile(files.md, 'utf8');
    expect(md).to.include('## Integration user audit').and.include(at('erp.integration'));
  });

  it('baseline round trip: --write-baseline exits 0, then --baseline suppresses every finding (exit 0)', async () => {
    const baselineFile = join(dir, 'baseline.json');
    const write = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--write-baseline', baselineFile, '--json']);
    expect(write.exitCode, describeResult(write)).to.equal(0);
    const baseline = JSON.parse(await readFile(baselineFile, 'utf8')) as Baseline;
    expect(baseline.version).to.equal(1);
    expect(baseline.findings.length).to.be.greaterThan(10);
    const use = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--baseline', baselineFile, '--fail-on', 'low', '--json']);
    expect(use.exitCode, describeResult(use)).to.equal(0);
    const { result } = use.json as Envelope;
    expect(result.findings).to.deep.equal([]);
    expect(result.summary.suppressed).to.equal(baseline.findings.length);
    expect(result.summary.staleBaselineEntries).to.deep.equal([]);
  });

  it('a bad flag combination is an sf error with exit code 1', async () => {
    const run = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--output-file', join(dir, 'x.txt'), '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(1);
    expect((run.json as ErrorEnvelope).name).to.equal('OutputFormatUnknownError');
  });
});

describe('e2e: integration user audit as a restricted running user', function () {
  this.timeout(240_000);
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({ runningUser: 'restricted' });
  });

  after(async () => {
    await e2e?.close();
  });

  it('rules not evaluated are listed and warned; --fail-on none → 68 (never a silent pass)', async () => {
    const run = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--fail-on', 'none', '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(68);
    const { status, result, warnings } = run.json as Envelope;
    expect(status).to.equal(68);
    expect(result.rulesNotEvaluated.length).to.be.greaterThan(0);
    for (const r of result.rulesNotEvaluated) expect(r.requiredPermission).to.be.a('string').and.not.equal('');
    expect(result.summary).to.deep.include({ exitCode: 68, passed: false });
    expect(warnings?.some((w) => w.includes('was not evaluated'))).to.be.true;
  });
});
