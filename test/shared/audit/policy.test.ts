import { expect } from 'chai';
import { EXIT_CODES } from '../../../src/shared/exitCodes.js';
import { DEFAULT_CONFIG, parseAuditConfig } from '../../../src/shared/audit/config.js';
import { acceptAll, allows, applyPolicy, auditExitCode, type FailOn } from '../../../src/shared/audit/policy.js';
import { BILLING, ERP, TEST_RULE_IDS, WAREHOUSE, finding, sampleRun } from './fixtures.js';

const config = (raw: unknown) => parseAuditConfig(raw, 'audit.json', TEST_RULE_IDS);

describe('audit policy', () => {
  describe('auditExitCode', () => {
    const run = sampleRun(); // critical, high, high, medium, low, info
    const cases: Array<[FailOn, number]> = [
      ['none', 0],
      ['low', 3],
      ['medium', 3],
      ['high', 3],
      ['critical', 3],
    ];
    for (const [failOn, code] of cases) {
      it(`--fail-on ${failOn} → ${code}`, () => {
        expect(auditExitCode(run, failOn)).to.equal(code);
      });
    }
    it('0 when only findings below the threshold; 68 when rules were not evaluated; 3 wins over 68', () => {
      const low = [finding('IU010', 'low', WAREHOUSE, 'd')];
      const notEvaluated = [{ ruleId: 'IU001', reason: 'no access', requiredPermission: 'ViewSetup' }];
      expect(auditExitCode({ findings: low, rulesNotEvaluated: [] }, 'medium')).to.equal(EXIT_CODES.success);
      expect(auditExitCode({ findings: low, rulesNotEvaluated: notEvaluated }, 'medium')).to.equal(EXIT_CODES.partialSuccess);
      expect(auditExitCode({ findings: low, rulesNotEvaluated: notEvaluated }, 'none')).to.equal(68);
      expect(auditExitCode({ findings: low, rulesNotEvaluated: notEvaluated }, 'low')).to.equal(EXIT_CODES.auditFindings);
      expect(auditExitCode({ findings: [], rulesNotEvaluated: [] }, 'low')).to.equal(0);
    });
  });

  it('summarises without configuration: counts by severity, sorted worst first, users examined', () => {
    const result = applyPolicy(sampleRun(), { config: DEFAULT_CONFIG, failOn: 'high' });
    expect(result.summary).to.deep.equal({
      usersExamined: 3,
      users: [BILLING, ERP, WAREHOUSE],
      findings: 6,
      bySeverity: { info: 1, low: 1, medium: 1, high: 2, critical: 1 },
      suppressed: 0,
      allowed: 0,
      staleBaselineEntries: [],
      failOn: 'high',
      passed: false,
      exitCode: 3,
    });
    expect(result.findings.map((f) => f.severity)).to.deep.equal(['critical', 'high', 'high', 'medium', 'low', 'info']);
    expect(result.seats.integrationUserLicense?.available).to.equal(0);
  });

  it('disables rules (their findings and not-evaluated entries) and overrides severities', () => {
    const run = sampleRun();
    run.rulesNotEvaluated = [{ ruleId: 'IU010', reason: 'no access', requiredPermission: 'ViewSetup' }];
    const result = applyPolicy(run, {
      config: config({ rules: { IU010: { enabled: false }, IU004: { severity: 'medium' }, IU001: { severity: 'low' } } }),
      failOn: 'high',
    });
    expect(result.findings.map((f) => f.ruleId)).to.not.include('IU010');
    expect(result.rulesNotEvaluated).to.deep.equal([]);
    expect(result.findings.filter((f) => f.ruleId === 'IU004').map((f) => f.severity)).to.deep.equal(['medium', 'medium']);
    expect(result.summary.bySeverity).to.deep.equal({ info: 1, low: 1, medium: 3, high: 0, critical: 0 });
    expect(result.summary).to.deep.include({ exitCode: 0, passed: true });
    // the input run is not mutated
    expect(run.findings[0].severity).to.equal('critical');
  });

  it('allows findings by user and rule, by permission for every user, and counts them', () => {
    const result = applyPolicy(sampleRun(), {
      config: config({
        allow: [
          { user: ERP.toUpperCase(), rules: ['IU003'], reason: 'migration planned Q3' },
          { user: '*', permissions: ['viewsetup'] },
          { user: '*', rules: ['IU012'] },
        ],
      }),
      failOn: 'high',
    });
    expect(result.summary.allowed).to.equal(3);
    expect(result.findings.map((f) => `${f.ruleId}:${String(f.evidence.permission ?? '')}`)).to.deep.equal([
      'IU004:ModifyAllData',
      'IU001:',
      'IU010:',
    ]);
  });

  it('matches allowances precisely', () => {
    const f = finding('IU004', 'high', ERP, 's', { permission: 'ModifyAllData', permissionSet: ['ERP_Admin', 'Other'] });
    expect(allows({ user: ERP, rules: ['IU004'] }, f)).to.be.true;
    expect(allows({ user: WAREHOUSE, rules: ['IU004'] }, f)).to.be.false;
    expect(allows({ user: '*', permissions: ['Other'] }, f)).to.be.true;
    expect(allows({ user: '*', rules: ['IU004'], permissions: ['ViewSetup'] }, f)).to.be.false;
    expect(allows({ user: '*', rules: ['IU003'], permissions: ['ModifyAllData'] }, f)).to.be.false;
    const org = finding('IU012', 'info', null, 'seats');
    expect(allows({ user: ERP, rules: ['IU012'] }, org)).to.be.false;
    expect(allows({ user: '*', rules: ['IU012'] }, org)).to.be.true;
  });

  it('allowances apply before the baseline: a finding both allowed and baselined counts as allowed', () => {
    const run = sampleRun();
    const target = run.findings.find((f) => f.ruleId === 'IU003');
    const result = applyPolicy(run, {
      config: config({ allow: [{ user: ERP, rules: ['IU003'] }] }),
      baseline: { version: 1, generatedAt: '', findings: [{ fingerprint: target?.fingerprint ?? '', ruleId: 'IU003', user: ERP }] },
      failOn: 'critical',
    });
    expect(result.summary).to.deep.include({ allowed: 1, suppressed: 0, findings: 5, exitCode: 3 });
    expect(result.summary.staleBaselineEntries).to.deep.equal([]);
  });

  it('a --user run keeps only those users\' findings: no org-level findings', () => {
    const result = applyPolicy(sampleRun(), { config: DEFAULT_CONFIG, failOn: 'low', users: [WAREHOUSE.toUpperCase()] });
    expect(result.findings.map((f) => f.ruleId)).to.deep.equal(['IU001', 'IU010']);
    const billingOnly = applyPolicy(sampleRun(), { config: DEFAULT_CONFIG, failOn: 'low', users: [BILLING] });
    expect(billingOnly.findings).to.deep.equal([]);
    expect(billingOnly.summary.exitCode).to.equal(0);
  });

  it('acceptAll (--write-baseline) accepts what the configuration leaves, keeps notes, and passes', () => {
    const run = sampleRun();
    const previous = { version: 1 as const, generatedAt: '', findings: [{ fingerprint: run.findings[0].fingerprint, ruleId: 'IU004', user: ERP, note: 'known' }] };
    const { baseline, result } = acceptAll(
      run,
      { config: config({ rules: { IU010: { enabled: false } } }), baseline: previous, failOn: 'low' },
      new Date('2026-01-01T00:00:00Z')
    );
    expect(baseline.findings).to.have.length(5);
    expect(baseline.findings.map((e) => e.ruleId)).to.not.include('IU010');
    expect(baseline.findings.find((e) => e.note)?.note).to.equal('known');
    expect(result.summary).to.deep.include({ findings: 0, suppressed: 5, exitCode: 0, passed: true });
    run.rulesNotEvaluated = [{ ruleId: 'IU001', reason: 'x', requiredPermission: 'ViewSetup' }];
    expect(acceptAll(run, { config: DEFAULT_CONFIG, failOn: 'low' }).result.summary.exitCode).to.equal(68);
  });
});
