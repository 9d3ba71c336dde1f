import { expect } from 'chai';
import { DEFAULT_CONFIG } from '../../../src/shared/audit/config.js';
import { runAuditRules } from '../../../src/shared/audit/engine.js';
import { applyPolicy, type AuditResult } from '../../../src/shared/audit/policy.js';
import { fillPlaceholders, groupFindings } from '../../../src/shared/audit/formats/group.js';
import { formatMarkdown } from '../../../src/shared/audit/formats/markdown.js';
import { countOf } from '../../../src/shared/model/count.js';
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

  before(async () => {
    emu = await startEmulator({ seed: 'default' });
    const run = await runAuditRules(await connectTo(emu), { dormantDays: 90, seatThresholdPercent: 80 });
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
    expect(lines[0]).to.match(/^\d+ findings \(.*\) across \d+ users;/).and.not.include('(s)');
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
    expect(md.split('\n')[2]).to.match(/^\d+ findings across \d+ users;/);
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
