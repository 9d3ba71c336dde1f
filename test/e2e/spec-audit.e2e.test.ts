/** `audit --spec` end to end: drift planted with the real sf, reported as IU014 findings located on the spec's lines in SARIF. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';

type SarifResult = {
  ruleId: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }>;
  properties: { user: string; evidence: Record<string, string | number | null> };
};
type Envelope = { result: { findings: Array<{ ruleId: string; user: string; evidence: Record<string, string | number | null>; message: string }> } };

const SPEC = `version: 1
integrations:
  - name: Billing Sync
    username: billing.sync@acme.example.com
    permissionSets:
      - Billing_Sync_Access
    permissionSetGroups: [Integration_Bundle]
  - name: Warehouse Sync
    username: warehouse.sync@acme.example.com
    permissionSetLicenses: [SalesforceAPIIntegrationPsl]
    permissionSets:
      - Integration_API_Access
      - name: Integration_Reader
        reason: reads stock levels
  - name: Invoice Feed
    permissionSets: [Billing_Sync_Access]
`;

describe('e2e: integration user audit --spec (IU014 spec drift)', function () {
  this.timeout(600_000);
  let e2e: E2E;
  let dir: string;
  before(async () => {
    e2e = await startE2E({ link: true });
    dir = await mkdtemp(join(tmpdir(), 'iu-spec-audit-'));
  });
  after(async () => {
    await e2e?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports planted drift, missing grants and users, and unlisted integration users, each on its spec line in SARIF', async () => {
    const file = join(dir, 'integrations.yaml');
    await writeFile(file, SPEC);
    const db = e2e.emu.db;
    const user = db.records('User').find((u) => u.Username === 'billing.sync@acme.example.com');
    const set = db.records('PermissionSet').find((p) => p.Name === 'Marketing_Shared');
    const planted = await e2e.sf(['data', 'create', 'record', '-o', 'emu', '-s', 'PermissionSetAssignment', '-v', `AssigneeId=${String(user?.Id)} PermissionSetId=${String(set?.Id)}`, '--json']);
    expect(planted.exitCode, describeResult(planted)).to.equal(0);

    const plan = await e2e.run(['integration', 'user', 'plan', '-f', file, '-o', 'emu', '--json']);
    expect(plan.exitCode, describeResult(plan)).to.equal(3);

    const sarifFile = join(dir, 'audit.sarif');
    const audit = await e2e.sf(['integration', 'user', 'audit', '-o', 'emu', '--spec', file, '--fail-on', 'none', '--output-file', sarifFile, '--json']);
    expect([0, 68], describeResult(audit)).to.include(audit.exitCode);
    const findings = (audit.json as Envelope).result.findings.filter((f) => f.ruleId === 'IU014');
    const kinds = findings.map((f) => `${f.user}|${String(f.evidence.kind)}|${String(f.evidence.name ?? '')}|${String(f.evidence.line)}`).sort();
    expect(kinds).to.deep.equal(
      [
        'billing.sync@acme.example.com|extraGrant|Marketing_Shared|3',
        'invoice.feed.integration@acme.example.com|missingUser|invoice.feed.integration@acme.example.com|15',
        'legacy.etl@acme.example.com|unlistedUser||1',
        'old.integration@acme.example.com|unlistedUser||1',
        'shared.connector@acme.example.com|unlistedUser||1',
        'warehouse.sync@acme.example.com|missingGrant|Integration_Reader|13',
        'warehouse.sync@acme.example.com|missingGrant|SalesforceAPIIntegrationPsl|10',
      ].sort()
    );

    const sarif = JSON.parse(await readFile(sarifFile, 'utf8')) as { runs: Array<{ results: SarifResult[] }> };
    const lines = SPEC.split('\n');
    const results = sarif.runs[0].results.filter((r) => r.ruleId === 'IU014');
    expect(results.length).to.equal(findings.length);
    for (const r of results) {
      const location = r.locations[0].physicalLocation;
      expect(decodeURI(location.artifactLocation.uri)).to.equal(file);
      expect(location.region?.startLine).to.be.a('number');
    }
    const reader = results.find((r) => r.properties.evidence.name === 'Integration_Reader');
    expect(lines[(reader?.locations[0].physicalLocation.region?.startLine ?? 0) - 1]).to.include('name: Integration_Reader');
    const extra = results.find((r) => r.properties.evidence.kind === 'extraGrant');
    expect(lines[(extra?.locations[0].physicalLocation.region?.startLine ?? 0) - 1]).to.include('- name: Billing Sync');
    const missing = results.find((r) => r.properties.evidence.kind === 'missingUser');
    expect(lines[(missing?.locations[0].physicalLocation.region?.startLine ?? 0) - 1]).to.include('- name: Invoice Feed');
  });

  it('says IU014 could not be evaluated when the spec cannot be planned', async () => {
    const file = join(dir, 'bad-names.yaml');
    await writeFile(file, 'version: 1\nintegrations:\n  - name: A\n    permissionSets: [No_Such_Set]\n');
    const audit = await e2e.run(['integration', 'user', 'audit', '-o', 'emu', '--spec', file, '--fail-on', 'none', '--json']);
    expect(audit.exitCode, describeResult(audit)).to.equal(68);
    const result = (audit.json as { result: { rulesNotEvaluated: Array<{ ruleId: string; reason: string }> } }).result;
    expect(result.rulesNotEvaluated.find((r) => r.ruleId === 'IU014')?.reason).to.include('No_Such_Set');
  });

  it('fleet: several --env read each environment\'s org, one SARIF run per environment, sections per environment, the worst exit code', async () => {
    const file = join(dir, 'fleet.yaml');
    await writeFile(
      file,
      `version: 1
integrations:
  - name: Billing Sync
    username: billing.sync@acme.example.com
    permissionSets: [Billing_Sync_Access]
    permissionSetGroups: [Integration_Bundle]
environments:
  prod:
    targetOrg: emu
  uat:
    targetOrg: emu
    usernameSuffix: .uat
`
    );
    const sarifFile = join(dir, 'fleet.sarif');
    const junitFile = join(dir, 'fleet.xml');
    const mdFile = join(dir, 'fleet.md');
    const audit = await e2e.sf(['integration', 'user', 'audit', '--spec', file, '--env', 'prod', '--env', 'uat', '--fail-on', 'none', '--output-file', sarifFile, '--output-file', junitFile, '--output-file', mdFile, '--json']);
    expect([0, 68], describeResult(audit)).to.include(audit.exitCode);
    type Env = { environment: string; targetOrg: string; summary: { exitCode: number }; findings: Array<{ ruleId: string; user: string; evidence: Record<string, unknown> }> };
    const result = (audit.json as { result: { environments: Env[]; summary: { exitCode: number }; findings: unknown[] } }).result;
    expect(result.environments.map((e) => `${e.environment}|${e.targetOrg}`)).to.deep.equal(['prod|emu', 'uat|emu']);
    // (the first test plants an extra grant on billing.sync: only the users' presence is compared here)
    const drift = (e: Env) => e.findings.filter((f) => f.ruleId === 'IU014' && f.evidence.kind === 'missingUser').map((f) => `${f.user}|${String(f.evidence.kind)}`);
    expect(drift(result.environments[0])).to.deep.equal([]);
    expect(drift(result.environments[1])).to.deep.equal(['billing.sync@acme.example.com.uat|missingUser']);
    expect(result.findings.length).to.equal(result.environments[0].findings.length + result.environments[1].findings.length);
    expect(result.summary.exitCode).to.equal(audit.exitCode);

    const sarif = JSON.parse(await readFile(sarifFile, 'utf8')) as { runs: Array<{ automationDetails: { id: string }; properties: { environment: string }; results: SarifResult[] }> };
    expect(sarif.runs.map((r) => r.properties.environment)).to.deep.equal(['prod', 'uat']);
    expect(new Set(sarif.runs.map((r) => r.automationDetails.id)).size).to.equal(2);
    expect(sarif.runs[1].results.filter((r) => r.ruleId === 'IU014' && r.properties.evidence.kind === 'missingUser').map((r) => r.properties.user)).to.deep.equal(['billing.sync@acme.example.com.uat']);
    expect(sarif.runs[0].results.filter((r) => r.properties.evidence.kind === 'missingUser')).to.deep.equal([]);
    const junit = await readFile(junitFile, 'utf8');
    expect(junit).to.include('classname="uat: IU014"');
    expect(junit).to.include('classname="prod: IU014"');
    expect((junit.match(/<testsuites/g) ?? []).length).to.equal(1);
    const md = await readFile(mdFile, 'utf8');
    expect(md).to.include('## Environment prod (emu)');
    expect(md).to.include('## Environment uat (emu)');

    // The worst environment decides: uat's missing user is a finding at --fail-on low.
    const strict = await e2e.run(['integration', 'user', 'audit', '--spec', file, '--env', 'prod', '--env', 'uat', '--fail-on', 'low']);
    expect(strict.exitCode, describeResult(strict)).to.equal(3);
    expect(strict.stdout).to.include('=== Environment prod (emu)');
    expect(strict.stdout).to.include('=== Environment uat (emu)');
  });
});
