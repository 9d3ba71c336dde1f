import { expect } from 'chai';
import { DEFAULT_CONFIG } from '../../../src/shared/audit/config.js';
import { runAuditRules } from '../../../src/shared/audit/engine.js';
import { applyPolicy, type AuditResult } from '../../../src/shared/audit/policy.js';
import { fillPlaceholders, groupFindings } from '../../../src/shared/audit/formats/group.js';
import { formatMarkdown } from '../../../src/shared/audit/formats/markdown.js';
import { countOf } from '../../../src/shared/model/count.js';
import { SfError } from '@salesforce/core';
import { createBaseline } from '../../../src/shared/audit/baseline.js';
import { formatJunit } from '../../../src/shared/audit/formats/junit.js';
import { formatSarif } from '../../../src/shared/audit/formats/sarif.js';
import { RULES } from '../../../src/shared/audit/rules.js';
import type { AuditRun } from '../../../src/shared/audit/types.js';
import { givenTargetOrg, withListHint } from '../../../src/shared/audit/userNotFound.js';
import { textReport } from '../../../src/shared/audit/formats/text.js';
import { notEvaluatedReason, notEvaluatedText } from '../../../src/shared/audit/formats/notEvaluated.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { connectTo } from '../../helpers/connection.js';

const ERP = 'erp.integration@acme.example.com';
const WAREHOUSE = 'warehouse.sync@acme.example.com';
const ESC = '\u001b';

describe('audit human formats (text, Markdown) on a real audit of the emulator seed', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let result: AuditResult;
  let run: AuditRun;

  before(async () => {
    emu = await startEmulator({ seed: 'default' });
    run = await runAuditRules(await connectTo(emu), { dormantDays: 90, seatThresholdPercent: 80 });
    result = applyPolicy(run, { config: DEFAULT_CONFIG, failOn: 'high' });
  });

  after(async () => {
    await emu.close();
  });

  it('the findings of one rule through one source are one entry with one fix', () => {
    const erp = groupFindings(result.findings).find((g) => g.user === ERP)!;
    const viaDanger = erp.findings.filter((f) => f.ruleId === 'IU004' && f.evidence.source === 'Integration_Admin_Danger');
    expect(viaDanger.length, 'the seed gives erp several permissions through one set').to.be.greaterThan(1);
    const entries = erp.entries.filter((e) => e.ruleId === 'IU004');
    expect(entries).to.have.length(1);
    expect(entries[0].messages).to.have.length(viaDanger.length);
    for (const m of entries[0].messages) expect(m).to.match(/^has \w+ through PermissionSet "Integration_Admin_Danger"\.$/);
  });

  it('text: the fix once per entry, its <user> filled with the username; plain text without ANSI codes', () => {
    const lines = textReport(result, { ansi: false });
    const text = lines.join('\n');
    expect(text).to.not.include(ESC);
    const start = lines.indexOf(`=== ${ERP}`);
    expect(start).to.be.greaterThan(0);
    const end = lines.indexOf('', start);
    const block = lines.slice(start, end === -1 ? undefined : end);
    const fixes = block.filter((l) => l.trim().startsWith('Fix: Remove the permission'));
    expect(fixes).to.have.length(1);
    expect(fixes[0]).to.include(`-b ${ERP} `).and.not.include('<user>');
    // the summary's counts (rule messages are the rules' own)
    expect(lines[0]).to.match(/^\d+ findings \(.*\) on \d+ users and the org; \d+ users examined\.$/).and.not.include('(s)');
  });

  it('summary: the users the findings touch (and the org), apart from the users examined', () => {
    const touched = new Set(result.findings.flatMap((f) => (f.user ? [f.user] : []))).size;
    expect(touched, 'the seed examines users without findings').to.be.lessThan(result.summary.usersExamined);
    const bySeverity = ['critical', 'high', 'medium', 'low', 'info'] as const;
    const breakdown = bySeverity.filter((sev) => result.summary.bySeverity[sev] > 0).map((sev) => `${result.summary.bySeverity[sev]} ${sev}`).join(', ');
    expect(textReport(result, { ansi: false })[0]).to.equal(
      `${result.findings.length} findings (${breakdown}) on ${touched} users and the org; ${result.summary.usersExamined} users examined.`
    );
    const oneUser = { ...result, findings: result.findings.filter((f) => f.user === ERP) };
    expect(textReport(oneUser, { ansi: false })[0]).to.match(/ on 1 user; /);
    const orgOnly = { ...result, findings: result.findings.filter((f) => f.user === null) };
    expect(textReport(orgOnly, { ansi: false })[0]).to.match(/ on the org; /);
  });

  it('summary with a baseline that accepts everything: "0 new findings; … N in the baseline", no empty breakdown', () => {
    const clean = applyPolicy(run, { config: DEFAULT_CONFIG, failOn: 'high', baseline: createBaseline(result.findings) });
    expect(clean.summary.suppressed).to.equal(result.findings.length);
    const line = textReport(clean, { ansi: false })[0];
    expect(line).to.equal(`0 new findings; ${clean.summary.usersExamined} users examined; ${result.findings.length} in the baseline.`);
    const md = formatMarkdown(clean);
    expect(md).to.include(`0 new findings; ${clean.summary.usersExamined} users examined; ${result.findings.length} in the baseline; fail on high: passed (exit code 0).`);
    expect(md).to.not.include('| Severity |');
  });

  it('SARIF and JUnit fill the fix placeholders as the text does', () => {
    const context = { rules: RULES, toolName: 'plugin-integration-user', toolVersion: '0.0.0', informationUri: 'https://example.com' };
    const sarif = JSON.parse(formatSarif(result, context)) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string }; properties: { user: string | null } }> }> };
    const erp = sarif.runs[0].results.filter((r) => r.properties.user === ERP && r.ruleId === 'IU004');
    expect(erp.length).to.be.greaterThan(0);
    for (const r of erp) expect(r.message.text).to.include(`-b ${ERP} `).and.not.include('<user>');
    for (const r of sarif.runs[0].results) expect(r.message.text).to.not.include('<user>');
    const junit = formatJunit(result, context);
    expect(junit).to.include(`-b ${ERP} `).and.not.include('&lt;user&gt;');
  });

  it('IU011: an inactive user is told to remove its grants (it stays inactive), never to deactivate it', () => {
    const inactive = result.findings.find((f) => f.ruleId === 'IU011' && f.evidence.state === 'inactive')!;
    expect(inactive.remediation).to.include('--remove-grants').and.not.match(/deactivate it/);
    const frozen = result.findings.find((f) => f.ruleId === 'IU011' && f.evidence.state === 'frozen')!;
    expect(frozen.remediation).to.match(/deactivate it/);
    expect(fillPlaceholders(inactive.remediation, inactive)).to.include(`sf integration user deactivate -u ${inactive.user} --remove-grants`);
  });

  it('the unknown --user hint names the --target-org given, and keeps the plain command for the default org', () => {
    const plain = 'Check the usernames with: sf integration user list';
    const error = () => Object.assign(new SfError('No user', 'UserNotFoundError'), { actions: ['x: did you mean y?', plain] });
    expect((withListHint(error(), 'my prod') as SfError).actions).to.deep.equal(['x: did you mean y?', "Check the usernames with: sf integration user list --target-org 'my prod'"]);
    expect((withListHint(error(), undefined) as SfError).actions).to.deep.equal(['x: did you mean y?', plain]);
    expect(givenTargetOrg([{ type: 'flag', flag: 'user', input: 'u' }, { type: 'flag', flag: 'target-org', input: 'emu' }])).to.equal('emu');
    expect(givenTargetOrg([])).to.equal(undefined);
  });

  it('text with ansi (a terminal): headers in bold, the rest unchanged', () => {
    const plain = textReport(result, { ansi: false });
    const ansi = textReport(result, { ansi: true });
    expect(ansi.join('\n')).to.include(`${ESC}[1m${ERP}${ESC}[22m`);
    // eslint-disable-next-line no-control-regex
    expect(ansi.map((l) => l.replace(/\u001b\[\d+m/g, ''))).to.deep.equal(plain);
  });

  it('<psl> is filled from the evidence (IU006: the set needs a PSL the user lacks)', () => {
    const iu006 = result.findings.find((f) => f.ruleId === 'IU006' && f.user === WAREHOUSE)!;
    expect(iu006.remediation).to.include('<psl>');
    const filled = fillPlaceholders(iu006.remediation, iu006);
    expect(filled).to.include(`-b ${WAREHOUSE} -l SalesforceAPIIntegrationPsl`);
    expect(filled).to.not.include('<user>').and.not.include('<psl>');
  });

  it('a placeholder for something that does not exist yet stays (a new set has no name to fill)', () => {
    expect(fillPlaceholders('assign it: sf integration user assign -b <user> -p <set>', { user: ERP, evidence: {} })).to.equal(
      `assign it: sf integration user assign -b ${ERP} -p <set>`
    );
  });

  it('Markdown: one row per entry, its messages on separate lines of the cell, the fix once, plurals right', () => {
    const md = formatMarkdown(result);
    const erpRows = md.split('\n').filter((l) => l.startsWith('| critical | IU004 |'));
    expect(erpRows).to.have.length(1);
    expect(erpRows[0].split('<br>').length).to.be.greaterThan(1);
    expect(erpRows[0]).to.include(`-b ${ERP} `);
    expect(md.split('\n')[2]).to.match(/^\d+ findings on \d+ users and the org; \d+ users examined; fail on high: failed/);
    expect(md).to.not.include(ESC);
  });

  it('plurals: 1 finding, 2 findings, 1 user, 0 users', () => {
    expect([countOf(1, 'finding'), countOf(2, 'finding'), countOf(1, 'user'), countOf(0, 'user')]).to.deep.equal([
      '1 finding',
      '2 findings',
      '1 user',
      '0 users',
    ]);
  });

  it('a rule not evaluated: one text naming its permission once, never an empty reason', () => {
    const lacks = 'The running user lacks Manage Users, needed to read which users are frozen (UserLogin).';
    expect(notEvaluatedText({ ruleId: 'IU010', reason: lacks, requiredPermission: 'Manage Users' })).to.equal(`Rule IU010 was not evaluated: ${lacks}`);
    expect(notEvaluatedReason({ reason: 'The read failed: INVALID_FIELD: No such column', requiredPermission: 'View Setup and Configuration' })).to.equal(
      'The read failed: INVALID_FIELD: No such column (needs View Setup and Configuration).'
    );
    expect(notEvaluatedReason({ reason: 'The spec could not be read.', requiredPermission: '' })).to.equal('The spec could not be read.');
    const empty = notEvaluatedText({ ruleId: 'IU014', reason: '  ', requiredPermission: '' });
    expect(empty).to.match(/^Rule IU014 was not evaluated: \S.+\.$/);
    expect(notEvaluatedReason({ reason: '', requiredPermission: 'Manage Users' })).to.include('(needs Manage Users)');
  });
});
