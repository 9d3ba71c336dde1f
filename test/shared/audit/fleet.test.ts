import { createRequire } from 'node:module';
import { expect } from 'chai';
import { Ajv } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { DEFAULT_CONFIG } from '../../../src/shared/audit/config.js';
import { applyPolicy } from '../../../src/shared/audit/policy.js';
import type { ReportContext } from '../../../src/shared/audit/formats/context.js';
import { combineEnvironments, fleetTextReport, renderFleetReport, worstExitCode, type EnvironmentAuditResult } from '../../../src/shared/audit/fleet.js';
import { TEST_RULES, sampleRun } from './fixtures.js';

const require = createRequire(import.meta.url);
const CONTEXT: ReportContext = { rules: TEST_RULES, toolName: 'plugin-integration-user', toolVersion: '0.1.0', informationUri: 'https://github.com/acme/plugin-integration-user' };

function env(environment: string, clean: boolean): EnvironmentAuditResult {
  const run = sampleRun();
  if (clean) run.findings = [];
  return { environment, targetOrg: `${environment}-org`, ...applyPolicy(run, { config: DEFAULT_CONFIG, failOn: 'high' }) };
}

describe('audit: fleet (--spec with several --env)', () => {
  it('the exit code is the worst environment\'s: findings over partial over pass', () => {
    expect(worstExitCode([0, 0])).to.equal(0);
    expect(worstExitCode([0, 68])).to.equal(68);
    expect(worstExitCode([68, 3, 0])).to.equal(3);
  });

  it('adds the environments up and keeps each one apart', () => {
    const prod = env('prod', true);
    const uat = env('uat', false);
    const fleet = combineEnvironments([prod, uat]);
    expect(prod.summary.exitCode).to.equal(0);
    expect(uat.summary.exitCode).to.equal(3);
    expect(fleet.summary.exitCode).to.equal(3);
    expect(fleet.summary.passed).to.equal(false);
    expect(fleet.summary.findings).to.equal(uat.summary.findings);
    expect(fleet.findings).to.deep.equal(uat.findings);
    expect(fleet.environments.map((e) => e.environment)).to.deep.equal(['prod', 'uat']);
    expect(JSON.parse(renderFleetReport(fleet, 'json', CONTEXT))).to.deep.equal(JSON.parse(JSON.stringify(fleet)));
  });

  it('SARIF: one valid run per environment, each named by automationDetails and properties', () => {
    const fleet = combineEnvironments([env('prod', true), env('uat', false)]);
    const sarif = JSON.parse(renderFleetReport(fleet, 'sarif', CONTEXT)) as { runs: Array<{ automationDetails: { id: string }; properties: { environment: string; targetOrg: string }; results: unknown[] }> };
    const schema = require('../../fixtures/sarif/sarif-2.1.0-rtm.5.json') as Record<string, unknown>;
    const { $schema: _draft, id, ...body } = schema;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
    ajv.addFormat('uri-reference', /^[^\s]*$/);
    ajv.addFormat('date-time', /./);
    const validate = ajv.compile({ $id: id as string, ...body });
    expect(validate(sarif), JSON.stringify(validate.errors)).to.equal(true);
    expect(sarif.runs.map((r) => `${r.properties.environment}|${r.properties.targetOrg}|${r.automationDetails.id}`)).to.deep.equal([
      'prod|prod-org|plugin-integration-user/audit/prod/',
      'uat|uat-org|plugin-integration-user/audit/uat/',
    ]);
    expect(sarif.runs[0].results).to.deep.equal([]);
    expect(sarif.runs[1].results.length).to.equal(fleet.environments[1].findings.length);
  });

  it('JUnit: one document, suites and classes prefixed by the environment; markdown and text: a section per environment', () => {
    const fleet = combineEnvironments([env('prod', true), env('uat', false)]);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(renderFleetReport(fleet, 'junit', CONTEXT)) as {
      testsuites: { '@_failures': string; testsuite: Array<{ '@_name': string; '@_failures': string }> };
    };
    const names = xml.testsuites.testsuite.map((s) => s['@_name']);
    expect(names.filter((n) => n.startsWith('prod: ')).length).to.equal(TEST_RULES.length);
    expect(names.filter((n) => n.startsWith('uat: ')).length).to.equal(TEST_RULES.length);
    const failures = (prefix: string) => xml.testsuites.testsuite.filter((s) => s['@_name'].startsWith(prefix)).reduce((n, s) => n + Number(s['@_failures']), 0);
    expect(failures('prod: ')).to.equal(0);
    expect(failures('uat: ')).to.be.greaterThan(0);
    expect(Number(xml.testsuites['@_failures'])).to.equal(failures('uat: '));
    const md = renderFleetReport(fleet, 'markdown', CONTEXT);
    expect(md.indexOf('## Environment prod (prod-org)')).to.be.lessThan(md.indexOf('## Environment uat (uat-org)'));
    const text = fleetTextReport(fleet, { ansi: false });
    expect(text[0]).to.equal('=== Environment prod (prod-org)');
    expect(text).to.include('=== Environment uat (uat-org)');
  });
});
