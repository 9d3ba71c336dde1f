import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import type { AuditResult } from '../../src/commands/integration/user/audit.js';
import type { Baseline } from '../../src/shared/audit/baseline.js';
import { RULES } from '../../src/shared/audit/rules.js';
import { describeResult, markRequests, requestsSince, startE2E, type E2E } from './harness.js';
import { tempDir } from '../helpers/tmp.js';

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
    dir = await tempDir('audit-e2e-');
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
    expect(junit.testsuites.testsuite).to.have.length(RULES.length);
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

/** A fresh emulator (with `options`) and sf logged in to it with the plugin linked; `fn` gets the audit's JSON run. */
function auditOrg(title: string, options: Parameters<typeof startE2E>[0], fn: (e2e: () => E2E) => void): void {
  describe(title, function () {
    this.timeout(300_000);
    let e2e: E2E;
    before(async () => {
      e2e = await startE2E({ link: true, ...options });
    });
    after(async () => {
      await e2e?.close();
    });
    fn(() => e2e);
  });
}

const auditJson = async (e2e: E2E, args: string[] = []): Promise<{ run: Awaited<ReturnType<E2E['sf']>>; envelope: Envelope }> => {
  const run = await e2e.sf(['integration', 'user', 'audit', '-o', 'emu', '--json', ...args]);
  return { run, envelope: run.json as Envelope };
};

describe('e2e: integration user audit on org variants (real sf, plugin linked)', () => {
  let fullFindings: AuditResult['findings'] = [];
  const fullFingerprints = (): string[] => fullFindings.map((f) => f.fingerprint);

  auditOrg('a full org (reference)', {}, (e2e) => {
    it('reference run: exit 3, every rule evaluated', async () => {
      const { run, envelope } = await auditJson(e2e());
      expect(run.exitCode, describeResult(run)).to.equal(3);
      expect(envelope.result.rulesNotEvaluated).to.deep.equal([]);
      fullFindings = envelope.result.findings;
      expect(fullFindings.length).to.be.greaterThan(10);
    });
  });

  auditOrg('an org without PermissionSet.PermissionsMonitorLoginHistory', { absentFields: ['PermissionSet.PermissionsMonitorLoginHistory'] }, (e2e) => {
    it('reports exactly the findings of a full org, with the same exit code and no warning', async () => {
      const { run, envelope } = await auditJson(e2e());
      expect(run.exitCode, describeResult(run)).to.equal(3);
      expect(envelope.result.findings.map((f) => f.fingerprint)).to.deep.equal(fullFingerprints());
      expect(envelope.result.rulesNotEvaluated).to.deep.equal([]);
      expect(envelope.warnings ?? []).to.deep.equal([]);
    });
  });

  auditOrg('an org without PermissionSet.PermissionsModifyAllData', { absentFields: ['PermissionSet.PermissionsModifyAllData'] }, (e2e) => {
    it('skips only that permission (it cannot be held): every other finding is reported, no rule left out', async () => {
      const { run, envelope } = await auditJson(e2e());
      expect(run.exitCode, describeResult(run)).to.equal(3);
      const { findings, rulesNotEvaluated } = envelope.result;
      expect(findings.filter((f) => f.evidence.permission === 'ModifyAllData')).to.deep.equal([]);
      expect(rulesNotEvaluated).to.deep.equal([]);
      // erp.integration still has its other critical permissions from Integration_Admin_Danger
      const erp = findings.filter((f) => f.user === at('erp.integration') && f.ruleId === 'IU004').map((f) => f.evidence.permission);
      expect(erp).to.include.members(['ManageUsers', 'AuthorApex', 'CustomizeApplication']);
      for (const [user, rules] of PLANTED) expect(rulesOf(envelope.result, user), String(user)).to.include.members(rules);
      const expected = fullFindings.filter((f) => f.evidence.permission !== 'ModifyAllData').map((f) => f.fingerprint);
      expect(findings.map((f) => f.fingerprint)).to.deep.equal(expected);
      expect(expected.length).to.be.lessThan(fullFindings.length);
    });
  });

  for (const level of ['delegated-admin', 'auditor'] as const) {
    auditOrg(`running user ${level}`, { runningUser: level }, (e2e) => {
      it('exactly the rules whose reads it cannot make are not evaluated, each warned once naming the permission; exit 68 with --fail-on none', async () => {
        const { run, envelope } = await auditJson(e2e(), ['--fail-on', 'none']);
        expect(run.exitCode, describeResult(run)).to.equal(68);
        const ids = envelope.result.rulesNotEvaluated.map((r) => r.ruleId);
        expect(ids).to.deep.equal(['IU003', 'IU008', 'IU009', 'IU010', 'IU011']);
        const warned = (envelope.warnings ?? []).filter((w) => w.startsWith('Rule '));
        expect(warned.map((w) => w.slice(5, 10))).to.deep.equal(ids);
        // one warning a rule, naming each permission it needs exactly once, never an empty reason
        for (const [i, w] of warned.entries()) {
          expect(w).to.match(/^Rule IU0\d\d was not evaluated: The running user lacks .+\.$/);
          expect(w).to.not.include('(needs');
          for (const p of envelope.result.rulesNotEvaluated[i].requiredPermission.split('; ')) expect(w.split(p).length - 1, `${w} names ${p} once`).to.equal(1);
        }
        // the rest is still judged
        expect(rulesOf(envelope.result, at('warehouse.sync'))).to.include.members(['IU001', 'IU006']);
        expect(rulesOf(envelope.result, at('erp.integration'))).to.include('IU004');
      });
    });
  }

  auditOrg('running user standard (no View Setup)', { runningUser: 'standard' }, (e2e) => {
    it('could not run: exit 1, naming View Setup and Configuration', async () => {
      const run = await e2e().sf(['integration', 'user', 'audit', '-o', 'emu', '--json']);
      expect(run.exitCode, describeResult(run)).to.equal(1);
      const error = run.json as ErrorEnvelope;
      expect(error.name).to.equal('MissingRightsError');
      expect(error.message).to.include('View Setup and Configuration');
    });
  });

  auditOrg('a misspelt --user', {}, (e2e) => {
    it('exit 1 naming the user with a "did you mean"; no findings reported', async () => {
      const run = await e2e().sf(['integration', 'user', 'audit', '-o', 'emu', '--user', at('billing.sync'), '--user', at('billing.snyc'), '--json']);
      expect(run.exitCode, describeResult(run)).to.equal(1);
      const error = run.json as ErrorEnvelope & { actions?: string[] };
      expect(error.name).to.equal('UserNotFoundError');
      expect(error.message).to.include(at('billing.snyc'));
      expect(error.actions?.[0]).to.equal(`${at('billing.snyc')}: did you mean ${at('billing.sync')}?`);
    });
  });

  auditOrg('login volume: scale:2000 with 500 logins per integration user', { seed: { scale: 2000 }, loginsPerUser: 500 }, (e2e) => {
    it('at most 20 requests (counted by the emulator), every rule evaluated', async () => {
      const env = e2e();
      const rows = env.emu.db.records('LoginHistory').length;
      expect(rows).to.be.greaterThan(100_000);
      const mark = markRequests(env.emu);
      const { run, envelope } = await auditJson(env, ['--fail-on', 'none']);
      expect(run.exitCode, describeResult(run)).to.equal(0);
      expect(envelope.result.rulesNotEvaluated).to.deep.equal([]);
      const requests = requestsSince(env.emu, mark).filter((r) => r.path.includes('/services/data/v') && !decodeURIComponent(r.query).endsWith('FROM Organization'));
      expect(requests.length, requests.map((r) => `${r.method} ${r.path}`).join('\n')).to.be.at.most(20);
      expect(envelope.result.summary.usersExamined).to.be.greaterThan(300);
    });
  });
});
