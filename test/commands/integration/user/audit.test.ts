import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { RULES } from '../../../../src/shared/audit/rules.js';
import IntegrationUserAudit, { type AuditResult, type IntegrationUserAuditRules } from '../../../../src/commands/integration/user/audit.js';
import type { Emulator } from '../../../emulator/index.js';
import { commandAgainstEmulator } from '../../../helpers/commandOrg.js';
import { tempDir } from '../../../helpers/tmp.js';

const at = (name: string): string => `${name}@acme.example.com`;

type Failure = { name: string; message: string; actions?: string[]; exitCode?: number };

describe('integration user audit (command, org emulator in process)', () => {
  const { testOrg, org, ux: currentUx } = commandAgainstEmulator({ stubSpinner: true });
  let dir: string;
  let ux: ReturnType<typeof currentUx>;
  beforeEach(async () => {
    dir = await tempDir('audit-cmd-');
    ux = currentUx();
  });

  /** Requests other than sf's own org probe when the target-org flag is parsed. */
  const orgReads = (e: Emulator): Emulator['requests'] => e.requests.filter((r) => !decodeURIComponent(r.query).endsWith('FROM Organization'));

  const audit = (args: string[]): Promise<AuditResult> =>
    IntegrationUserAudit.run(['--target-org', testOrg.username, ...args]) as unknown as Promise<AuditResult>;

  async function failure(args: string[]): Promise<Failure> {
    const err = await audit(args).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(err, 'expected the command to fail').to.be.instanceOf(Error);
    return err as Failure;
  }

  const warnings = (): string[] => ux.warn.getCalls().map((c) => c.args[0] as string);

  it('--list-rules needs no org: returns every rule and prints them as a table', async () => {
    const result = (await IntegrationUserAudit.run(['--list-rules'])) as IntegrationUserAuditRules;
    expect(result.rules.map((r) => r.id)).to.deep.equal(Array.from({ length: RULES.length }, (_, i) => `IU${String(i + 1).padStart(3, '0')}`));
    expect(result.rules[0]).to.include({ name: 'missing-api-integration-psl' });
    expect(ux.table.callCount).to.equal(1);
    expect((ux.table.firstCall.args[0] as { data: unknown[] }).data).to.have.length(RULES.length);
    expect(process.exitCode).to.equal(0);
  });

  it('without --target-org and no default org: a clear error naming --list-rules', async () => {
    const err = await IntegrationUserAudit.run([]).then(
      () => undefined,
      (e: unknown) => e as Failure
    );
    expect(err?.name).to.equal('MissingTargetOrgError');
    expect(err?.actions?.join(' ')).to.include('--list-rules');
  });

  it('rejects a bad configuration, mismatched output flags and a malformed baseline before reading the org', async () => {
    const e = await org();
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ rules: { IU010: { enabled: 'no' } } }));
    const bad = await failure(['--config', config]);
    expect(bad.name).to.equal('InvalidConfigError');
    expect(bad.message).to.include('rules.IU010.enabled');
    const outputs = await failure(['--output-file', join(dir, 'a.sarif'), '--output-file', join(dir, 'b.xml'), '--output-format', 'sarif']);
    expect(outputs.name).to.equal('OutputFormatCountError');
    const baseline = join(dir, 'baseline.json');
    await writeFile(baseline, JSON.stringify({ version: 7, findings: [] }));
    expect((await failure(['--baseline', baseline])).name).to.equal('InvalidBaselineError');
    expect(orgReads(e)).to.deep.equal([]);
  });

  it('the default seed: findings, every report file written and parsed back, exit code 3, no warning', async () => {
    const e = await org();
    const files = ['a.json', 'a.sarif', 'a.xml', 'a.md'].map((f) => join(dir, f));
    const result = await audit(files.flatMap((f) => ['--output-file', f]));
    expect(result.summary).to.deep.include({ exitCode: 3, passed: false, failOn: 'high', suppressed: 0, allowed: 0 });
    expect(result.findings.some((f) => f.user === at('erp.integration') && f.evidence.permission === 'ModifyAllData')).to.equal(true);
    expect(result.rulesNotEvaluated).to.deep.equal([]);
    expect(process.exitCode).to.equal(3);
    expect(JSON.parse(await readFile(files[0], 'utf8'))).to.deep.equal(result);
    const sarif = JSON.parse(await readFile(files[1], 'utf8')) as { runs: Array<{ tool: { driver: { name: string; rules: unknown[] } } }> };
    expect(sarif.runs[0].tool.driver.name).to.equal('plugin-integration-user');
    expect(sarif.runs[0].tool.driver.rules).to.have.length(RULES.length);
    expect(await readFile(files[2], 'utf8')).to.include('<testsuites');
    expect(await readFile(files[3], 'utf8')).to.include('## Integration user audit');
    expect(warnings()).to.deep.equal([]);
    expect(orgReads(e).filter((r) => r.path.endsWith('/composite'))).to.have.length(4);
  });

  it('an auditor (View Setup only): one warning per rule it cannot evaluate, naming the permission; exit 68 with --fail-on none', async () => {
    await org({ runningUser: 'auditor' });
    const result = await audit(['--fail-on', 'none']);
    expect(result.rulesNotEvaluated.map((r) => r.ruleId)).to.deep.equal(['IU003', 'IU008', 'IU009', 'IU010', 'IU011']);
    expect(result.summary).to.deep.include({ exitCode: 68, passed: false, failOn: 'none' });
    expect(process.exitCode).to.equal(68);
    const notEvaluated = warnings().filter((w) => w.startsWith('Rule '));
    expect(notEvaluated).to.have.length(5);
    expect(notEvaluated.find((w) => w.startsWith('Rule IU010'))).to.equal(
      'Rule IU010 was not evaluated: The running user lacks Manage Users, needed to read which users are frozen (UserLogin).'
    );
    for (const w of warnings()) expect(w, w).to.not.match(/:\s*(\(|$)/);
    // The rules it could evaluate still report.
    expect(result.findings.some((f) => f.ruleId === 'IU004' && f.user === at('erp.integration'))).to.equal(true);
  });

  it('a standard user (no View Setup): the audit could not run, naming the permission (exit 1)', async () => {
    await org({ runningUser: 'standard' });
    const err = await failure([]);
    expect(err.name).to.equal('MissingRightsError');
    expect(err.message).to.include('View Setup and Configuration');
    expect(err.exitCode).to.equal(1);
  });

  it('a misspelt --user: error (exit 1) naming it with "did you mean", never a pass with fewer users', async () => {
    await org();
    const err = await failure(['--user', at('billing.sync'), '--user', at('biling.sync')]);
    expect(err.name).to.equal('UserNotFoundError');
    expect(err.exitCode).to.equal(1);
    expect(err.message).to.include(at('biling.sync'));
    expect(err.actions?.[0], err.actions?.join('\n')).to.equal(`${at('biling.sync')}: did you mean ${at('billing.sync')}?`);
  });

  it('a baseline and a configuration naming users the org does not have: one warning each', async () => {
    await org();
    const baseline = join(dir, 'baseline.json');
    await writeFile(
      baseline,
      JSON.stringify({ version: 1, generatedAt: '', findings: [{ fingerprint: 'f'.repeat(32), ruleId: 'IU010', user: at('gone.integration') }] })
    );
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ allow: [{ user: at('billing.sync'), rules: ['IU010'] }, { user: at('typo.user'), rules: ['IU004'] }] }));
    await audit(['--baseline', baseline, '--config', config, '--fail-on', 'none']);
    const unknown = warnings().filter((w) => w.includes('names users the org does not have'));
    expect(unknown).to.deep.equal([
      `${config} names users the org does not have (misspelt, or renamed since): ${at('typo.user')}.`,
      `${baseline} names users the org does not have (misspelt, or renamed since): ${at('gone.integration')}.`,
    ]);
  });
});
