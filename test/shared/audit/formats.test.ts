import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'chai';
import { Ajv } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import type { SfError } from '@salesforce/core';
import { DEFAULT_CONFIG } from '../../../src/shared/audit/config.js';
import { applyPolicy, type AuditResult } from '../../../src/shared/audit/policy.js';
import type { ReportContext } from '../../../src/shared/audit/formats/context.js';
import { formatJson } from '../../../src/shared/audit/formats/json.js';
import { formatJunit } from '../../../src/shared/audit/formats/junit.js';
import { cell, formatMarkdown } from '../../../src/shared/audit/formats/markdown.js';
import { SARIF_FINGERPRINT_KEY, artifactUri, formatSarif } from '../../../src/shared/audit/formats/sarif.js';
import { inferFormat, planOutputs, writeReports } from '../../../src/shared/audit/outputs.js';
import { BILLING, ERP, TEST_RULES, WAREHOUSE, finding, sampleRun } from './fixtures.js';
import { tempDir } from '../../helpers/tmp.js';

const require = createRequire(import.meta.url);
const CONTEXT: ReportContext = {
  rules: TEST_RULES,
  toolName: 'plugin-integration-user',
  toolVersion: '0.1.0',
  informationUri: 'https://github.com/acme/plugin-integration-user',
};

/** The official SARIF 2.1.0 schema (rtm.5, as published to SchemaStore), kept in test/fixtures/sarif. */
function sarifValidator() {
  const schema = require('../../fixtures/sarif/sarif-2.1.0-rtm.5.json') as Record<string, unknown>;
  // draft-04 → draft-07: only the meta keywords differ (the schema uses no exclusiveMinimum/Maximum).
  const { $schema: _draft, id, ...body } = schema;
  // unicodeRegExp: false — the schema's language pattern has a stray `]` that only non-unicode regexps accept.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  ajv.addFormat('uri-reference', /^[^\s]*$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  return ajv.compile({ $id: id as string, ...body });
}

/** A result with everything: findings of users and of the org, a file finding, a rule not evaluated, hostile text. */
function richResult(): AuditResult {
  const run = sampleRun();
  run.findings.push(
    finding('IU013', 'high', ERP, 'eca', { file: 'force-app/main/default/extlClntAppOauthPolicies/Erp.ecaOauthPlcy-meta.xml' }),
    finding('IU010', 'low', BILLING, 'weird', { note: 'x' }, 'Pipe | and <b>tag</b> & "quotes"\nsecond line \u0007bell')
  );
  run.rulesNotEvaluated = [{ ruleId: 'IU001', reason: 'INSUFFICIENT_ACCESS: no access to PermissionSetLicense', requiredPermission: 'ViewSetup' }];
  return applyPolicy(run, { config: DEFAULT_CONFIG, failOn: 'high' });
}

type SarifLog = {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, unknown>> } };
    invocations: Array<{ toolExecutionNotifications: Array<{ associatedRule: { id: string }; message: { text: string } }> }>;
    results: Array<{
      ruleId: string;
      level: string;
      message: { text: string };
      partialFingerprints: Record<string, string>;
      properties: { severity: string; user: string | null };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string } }; logicalLocations: Array<{ name: string; kind: string }> }>;
    }>;
  }>;
};

describe('audit formats', () => {
  it('JSON: the result itself, parsed back', () => {
    const result = richResult();
    expect(JSON.parse(formatJson(result))).to.deep.equal(result);
  });

  describe('SARIF', () => {
    const validate = sarifValidator();

    it('is valid against the official SARIF 2.1.0 schema', () => {
      const log = JSON.parse(formatSarif(richResult(), CONTEXT)) as unknown;
      const ok = validate(log);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).to.deep.equal([]);
      expect(ok).to.be.true;
    });

    it('the validator does reject a broken log (the check is real)', () => {
      const log = JSON.parse(formatSarif(richResult(), CONTEXT)) as SarifLog;
      (log.runs[0].results[0] as unknown as Record<string, unknown>).level = 'fatal';
      expect(validate(log)).to.be.false;
      expect(validate({ version: '2.1.0' })).to.be.false;
    });

    it('carries the driver, rules, levels, fingerprints, locations and notifications', () => {
      const result = richResult();
      const log = JSON.parse(formatSarif(result, CONTEXT)) as SarifLog;
      expect(log.version).to.equal('2.1.0');
      const run = log.runs[0];
      expect(run.tool.driver).to.deep.include({ name: 'plugin-integration-user', version: '0.1.0' });
      expect(run.tool.driver.rules.map((r) => r.id)).to.deep.equal(TEST_RULES.map((r) => r.id));
      expect(run.tool.driver.rules[0]).to.deep.include({
        name: 'missing-api-integration-psl',
        shortDescription: { text: 'Needs the PSL.' },
        help: { text: 'Assign the PSL.' },
        defaultConfiguration: { level: 'error' },
      });
      expect(run.results).to.have.length(result.findings.length);
      const levels = Object.fromEntries(run.results.map((r) => [r.properties.severity, r.level]));
      expect(levels).to.deep.equal({ critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' });
      for (const [i, r] of run.results.entries()) {
        expect(r.partialFingerprints[SARIF_FINGERPRINT_KEY]).to.equal(result.findings[i].fingerprint);
        expect(r.locations[0].physicalLocation.artifactLocation.uri).to.not.match(/^[a-z]+:/);
      }
      const eca = run.results.find((r) => r.ruleId === 'IU013');
      expect(eca?.locations[0].physicalLocation.artifactLocation.uri).to.equal(
        'force-app/main/default/extlClntAppOauthPolicies/Erp.ecaOauthPlcy-meta.xml'
      );
      const erp = run.results.find((r) => r.ruleId === 'IU004');
      expect(erp?.locations[0].logicalLocations).to.deep.equal([{ name: ERP, kind: 'user' }]);
      expect(erp?.locations[0].physicalLocation.artifactLocation.uri).to.equal(`integration-user-audit/users/${ERP}`);
      const org = run.results.find((r) => r.ruleId === 'IU012');
      expect(org?.locations[0].physicalLocation.artifactLocation.uri).to.equal('integration-user-audit/org');
      expect(run.invocations[0].toolExecutionNotifications).to.have.length(1);
      expect(run.invocations[0].toolExecutionNotifications[0].associatedRule.id).to.equal('IU001');
      expect(run.invocations[0].toolExecutionNotifications[0].message.text).to.include('ViewSetup');
    });

    it('encodes odd usernames into a relative path', () => {
      expect(artifactUri(finding('IU001', 'high', 'a b+c@x.example.com', 's'))).to.equal(
        'integration-user-audit/users/a%20b%2Bc@x.example.com'
      );
    });
  });

  describe('JUnit', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });
    type Case = { classname: string; name: string; failure?: { type: string; message: string; '#text': string }; skipped?: { message: string } };
    type Suite = { name: string; tests: string; failures: string; errors: string; skipped: string; testcase: Case[] };

    it('one suite per rule, one case per rule × user (and org), with correct counts, parsed back', () => {
      const result = richResult();
      const doc = parser.parse(formatJunit(result, CONTEXT)) as { testsuites: Suite & { testsuite: Suite[] } };
      const suites = doc.testsuites.testsuite;
      expect(suites.map((s) => s.name)).to.deep.equal(TEST_RULES.map((r) => `${r.id} ${r.name}`));
      const users = [BILLING, ERP, WAREHOUSE];
      const byId = Object.fromEntries(suites.map((s) => [s.testcase[0].classname, s]));

      expect(byId.IU004.testcase.map((c) => c.name)).to.deep.equal(users);
      expect(byId.IU004).to.deep.include({ tests: '3', failures: '1', skipped: '0', errors: '0' });
      const erpCase = byId.IU004.testcase.find((c) => c.name === ERP);
      expect(erpCase?.failure?.type).to.equal('critical');
      expect(erpCase?.failure?.['#text']).to.include('Fix IU004').and.include('[high]');
      expect(byId.IU004.testcase.find((c) => c.name === BILLING)?.failure).to.equal(undefined);

      expect(byId.IU012.testcase.map((c) => c.name)).to.deep.equal([...users, 'org']);
      expect(byId.IU012.testcase.find((c) => c.name === 'org')?.failure?.type).to.equal('info');

      // IU001 was not evaluated, but warehouse still has an IU001 finding from the fixture: failure wins over skipped
      expect(byId.IU001).to.deep.include({ tests: '3', failures: '1', skipped: '2' });
      expect(byId.IU001.testcase.find((c) => c.name === BILLING)?.skipped?.message).to.include('ViewSetup');

      const sum = (key: 'tests' | 'failures' | 'skipped') => suites.reduce((n, s) => n + Number(s[key]), 0);
      expect(doc.testsuites.tests).to.equal(String(sum('tests')));
      expect(doc.testsuites.failures).to.equal(String(sum('failures')));
      expect(doc.testsuites.skipped).to.equal(String(sum('skipped')));
      expect(sum('failures')).to.equal(new Set(result.findings.map((f) => `${f.ruleId}/${f.user ?? 'org'}`)).size);
      for (const s of suites) expect(Number(s.tests)).to.equal(s.testcase.length);
    });

    it('escapes markup and drops control characters', () => {
      const xml = formatJunit(richResult(), CONTEXT);
      expect(xml).to.not.include('\u0007');
      expect(xml).to.include('&lt;b&gt;tag&lt;/b&gt; &amp;');
      const doc = parser.parse(xml) as { testsuites: { testsuite: Suite[] } };
      const weird = doc.testsuites.testsuite.flatMap((s) => s.testcase).find((c) => c.failure?.message.startsWith('Pipe'));
      expect(weird?.failure?.message).to.equal('Pipe | and <b>tag</b> & "quotes"\nsecond line bell');
    });
  });

  describe('Markdown', () => {
    it('summary table, findings grouped by user, rules not evaluated, seats; cells escaped', () => {
      const md = formatMarkdown(richResult());
      const lines = md.split('\n');
      expect(lines[0]).to.equal('## Integration user audit');
      expect(md).to.include('| critical | 1 |').and.include('| high | 3 |').and.include('| info | 1 |');
      expect(lines.filter((l) => l.startsWith('### ')).map((l) => l.slice(4))).to.deep.equal([
        `${ERP} (4)`,
        `${WAREHOUSE} (2)`,
        `${BILLING} (1)`,
        'Org-level findings (1)',
        'Rules not evaluated (1)',
        'Seats',
      ]);
      const weirdRow = lines.find((l) => l.includes('Pipe'));
      expect(weirdRow).to.equal('| low | IU010 | Pipe \\| and &lt;b&gt;tag&lt;/b&gt; &amp; "quotes"<br>second line bell | Fix IU010 |');
      // every table row has the same number of unescaped separators as its header
      expect(weirdRow?.split(/(?<!\\)\|/).length).to.equal(6);
      expect(md).to.include('| IU001 | INSUFFICIENT_ACCESS: no access to PermissionSetLicense | ViewSetup |');
      expect(md).to.include('| Salesforce Integration | 5 | 5 | 0 |');
    });

    it('collapses long lists in <details>', () => {
      const run = sampleRun();
      for (let i = 0; i < 7; i++) run.findings.push(finding('IU004', 'high', BILLING, `perm${i}`, { permission: `P${i}` }));
      const md = formatMarkdown(applyPolicy(run, { config: DEFAULT_CONFIG, failOn: 'high' }));
      expect(md).to.include(`<details>\n<summary>${BILLING}</summary>`);
      expect(md.match(/<details>/g)).to.have.length(1);
    });

    it('says so when there is nothing to report', () => {
      const run = sampleRun();
      run.findings = [];
      const md = formatMarkdown(applyPolicy(run, { config: DEFAULT_CONFIG, failOn: 'high' }));
      expect(md).to.include('No findings.').and.include('passed (exit code 0)');
      expect(cell('a|b\r\nc')).to.equal('a\\|b<br>c');
    });
  });

  describe('outputs', () => {
    it('infers formats from extensions and pairs explicit formats by position', () => {
      expect(['a.sarif', 'a.sarif.json', 'a.xml', 'a.md', 'a.JSON', 'a.txt'].map(inferFormat)).to.deep.equal([
        'sarif',
        'sarif',
        'junit',
        'markdown',
        'json',
        undefined,
      ]);
      expect(planOutputs(['a.sarif', 'b.xml'])).to.deep.equal([
        { path: 'a.sarif', format: 'sarif' },
        { path: 'b.xml', format: 'junit' },
      ]);
      expect(planOutputs(['report.txt', 'x.json'], ['markdown', 'sarif'])).to.deep.equal([
        { path: 'report.txt', format: 'markdown' },
        { path: 'x.json', format: 'sarif' },
      ]);
      expect(planOutputs()).to.deep.equal([]);
    });

    it('errors clearly on a count mismatch or an unknown extension', async () => {
      const mismatch = await Promise.resolve()
        .then(() => planOutputs(['a.sarif', 'b.xml'], ['json']))
        .then(() => undefined, (e: unknown) => e as SfError);
      expect(mismatch?.name).to.equal('OutputFormatCountError');
      expect(mismatch?.message).to.equal('1 --output-format values were given for 2 --output-file values.');
      const unknown = await Promise.resolve()
        .then(() => planOutputs(['report.txt']))
        .then(() => undefined, (e: unknown) => e as SfError);
      expect(unknown?.name).to.equal('OutputFormatUnknownError');
      expect(unknown?.message).to.include('report.txt');
      expect(unknown?.actions?.[0]).to.include('--output-format');
    });

    it('writes every report, creating folders, and each parses back', async () => {
      const dir = await tempDir('audit-out-');
      const result = richResult();
      const targets = planOutputs([join(dir, 'a.json'), join(dir, 'sub/a.sarif'), join(dir, 'a.xml'), join(dir, 'a.md')]);
      expect(await writeReports(result, targets, CONTEXT)).to.deep.equal(targets);
      expect(JSON.parse(await readFile(join(dir, 'a.json'), 'utf8'))).to.deep.equal(result);
      expect((JSON.parse(await readFile(join(dir, 'sub/a.sarif'), 'utf8')) as SarifLog).runs[0].results).to.have.length(result.findings.length);
      expect(await readFile(join(dir, 'a.xml'), 'utf8')).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
      expect(await readFile(join(dir, 'a.md'), 'utf8')).to.match(/^## Integration user audit/);
      const err = await writeReports(result, [{ path: join(dir, 'a.json', 'nested.json'), format: 'json' }], CONTEXT).then(
        () => undefined,
        (e: unknown) => e as SfError
      );
      expect(err?.name).to.equal('OutputWriteFailedError');
    });
  });
});
