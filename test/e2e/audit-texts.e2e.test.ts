/**
 * The words users read, end to end through bin/run.js (and the real sf) against the org emulator: the audit's
 * summary counts what the findings touch, a baseline's suppressed findings are named, SARIF and JUnit fill the
 * fix's placeholders as the text does, IU011's fix fits an inactive user, an unknown --user's hint names the
 * org as given; `list` fits COLUMNS when piped and never cuts a username.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { AuditResult } from '../../src/commands/integration/user/audit.js';
import { describeResult, startE2E, type E2E } from './harness.js';
import { tempDir } from '../helpers/tmp.js';

const at = (name: string): string => `${name}@acme.example.com`;
const OLD = at('old.integration');

type Envelope = { status: number; result: AuditResult };
type ErrorEnvelope = { status: number; name: string; actions?: string[] };
type Sarif = { runs: Array<{ results: Array<{ ruleId: string; message: { text: string }; properties: { user: string | null } }> }> };

describe('e2e: audit and list texts', function () {
  this.timeout(300_000);
  let e2e: E2E;
  let dir: string;
  let full: AuditResult;

  before(async () => {
    e2e = await startE2E({ link: true });
    dir = await tempDir('audit-texts-');
    const run = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(3);
    full = (run.json as Envelope).result;
  });

  after(async () => {
    await e2e?.close();
  });

  it('text summary: findings on the users they touch and the org; the users examined counted apart', async () => {
    const users = new Set(full.findings.flatMap((f) => (f.user ? [f.user] : [])));
    expect(full.findings.some((f) => f.user === null), 'the seed has an org-level finding (IU012)').to.be.true;
    expect(users.size).to.be.lessThan(full.summary.usersExamined);
    const run = await e2e.run(['integration', 'user', 'audit', '-o', 'emu']);
    expect(run.exitCode, describeResult(run)).to.equal(3);
    const first = run.stdout.split('\n')[0];
    expect(first).to.match(new RegExp(`^${full.summary.findings} findings \\([^)]+\\) on ${users.size} users and the org; ${full.summary.usersExamined} users examined\\.$`));
  });

  it('with a baseline that accepts everything: "0 new findings; … N in the baseline", no empty breakdown', async () => {
    const baseline = join(dir, 'baseline.json');
    const write = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--write-baseline', baseline, '--json']);
    expect(write.exitCode, describeResult(write)).to.equal(0);
    const md = join(dir, 'baseline.md');
    const run = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--baseline', baseline, '--output-file', md]);
    expect(run.exitCode, describeResult(run)).to.equal(0);
    expect(run.stdout).to.include(`0 new findings; ${full.summary.usersExamined} users examined; ${full.findings.length} in the baseline.`);
    expect(run.stdout).to.not.include('(0)');
    const report = await readFile(md, 'utf8');
    expect(report).to.include(`0 new findings; ${full.summary.usersExamined} users examined; ${full.findings.length} in the baseline; fail on high: passed`);
    expect(report).to.not.match(/\| Severity \| Count \|/i);
  });

  it('SARIF and JUnit fill the fix placeholders the text fills (the username after -b)', async () => {
    const sarifFile = join(dir, 'a.sarif');
    const junitFile = join(dir, 'a.xml');
    const run = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--output-file', sarifFile, '--output-file', junitFile]);
    expect(run.exitCode, describeResult(run)).to.equal(3);
    const withUserFix = full.findings.filter((f) => f.user !== null && f.remediation.includes('<user>'));
    expect(withUserFix.length, 'some fixes name the user').to.be.greaterThan(0);
    const sarif = JSON.parse(await readFile(sarifFile, 'utf8')) as Sarif;
    for (const r of sarif.runs[0].results) expect(r.message.text, r.ruleId).to.not.include('<user>');
    const erpFix = sarif.runs[0].results.find((r) => r.ruleId === 'IU004' && r.properties.user === at('erp.integration'));
    expect(erpFix?.message.text).to.include(`-b ${at('erp.integration')} `);
    expect(run.stdout).to.include(`-b ${at('erp.integration')} `);
    const junit = await readFile(junitFile, 'utf8');
    expect(junit).to.not.include('&lt;user&gt;').and.not.include('<user>');
    expect(junit).to.include(`-b ${at('erp.integration')} `);
  });

  it('IU011 on an inactive user: the fix removes its grants and never says to deactivate it', async () => {
    const iu011 = full.findings.find((f) => f.ruleId === 'IU011' && f.user === OLD);
    expect(iu011?.message).to.include('is inactive');
    expect(iu011?.remediation).to.not.match(/deactivate it/i);
    expect(iu011?.remediation).to.include('--remove-grants');
    const run = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--user', OLD, '--fail-on', 'none']);
    expect(run.exitCode, describeResult(run)).to.equal(0);
    const fix = run.stdout.split('\n').find((l) => l.includes('Fix: ') && l.includes('--remove-grants'));
    expect(fix, run.stdout).to.include(`sf integration user deactivate -u ${OLD} --remove-grants`);
    expect(run.stdout).to.not.match(/deactivate it for good/);
  });

  it('an unknown --user (through the real sf): the hint lists the users of the org given, no <org> placeholder', async () => {
    const run = await e2e.sf(['integration', 'user', 'audit', '-o', 'emu', '--user', at('billing.snyc'), '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(1);
    const error = run.json as ErrorEnvelope;
    expect(error.name).to.equal('UserNotFoundError');
    expect(error.actions).to.include('Check the usernames with: sf integration user list --target-org emu');
    expect(JSON.stringify(error)).to.not.include('<org>');
  });

  // Last: it adds a user to the org.
  it('list with a 41-character username, piped with COLUMNS=100 (through the real sf): fits 100 columns, usernames whole', async () => {
    const long = at('payments.reconciliation1');
    expect(long).to.have.length(41);
    const created = await e2e.run(['integration', 'user', 'create', '-o', 'emu', '-n', 'Payments Reconciliation', '-u', long, '--json']);
    expect(created.exitCode, describeResult(created)).to.equal(0);

    const fitted = await e2e.sf(['integration', 'user', 'list', '-o', 'emu'], { env: { COLUMNS: '100' } });
    expect(fitted.exitCode, describeResult(fitted)).to.equal(0);
    // the table's lines, from its header to the blank line under it (the legend under it is prose, one line
    // however long); sf draws borders in a terminal and a plain table under CI=true, so no border is assumed
    const all = fitted.stdout.split('\n');
    const header = all.findIndex((l) => l.includes('Username') && l.includes('Last Login'));
    const lines = all.slice(header, all.findIndex((l, i) => i > header && l.trim() === ''));
    expect(header, fitted.stdout).to.be.greaterThan(-1);
    expect(lines.length, fitted.stdout).to.be.greaterThan(6);
    const widest = Math.max(...lines.map((l) => l.length));
    expect(widest, fitted.stdout).to.be.at.most(100);
    expect(lines.some((l) => l.includes(long)), fitted.stdout).to.be.true;
    for (const name of [long, at('billing.sync'), at('old.integration')]) expect(fitted.stdout).to.include(name);

    // piped without COLUMNS: nothing to fit, the rows stay whole (one line per user)
    const whole = await e2e.run(['integration', 'user', 'list', '-o', 'emu'], { env: { COLUMNS: undefined } });
    expect(whole.exitCode, describeResult(whole)).to.equal(0);
    const row = whole.stdout.split('\n').find((l) => l.includes(long));
    expect(row, whole.stdout).to.include('Payments Reconciliation');
  });
});
