import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import type { SfError } from '@salesforce/core';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import type { AnyJson } from '@salesforce/ts-types';
import IntegrationUserAudit, { type AuditResult, type IntegrationUserAuditRules } from '../../../../src/commands/integration/user/audit.js';

type Rows = Record<string, Array<Record<string, unknown>>>;
type Denied = Record<string, string>;

/**
 * A fake org answering every query (composite or single) by queried object: `rows[object]`, or the platform
 * error `denied[object]` (e.g. INSUFFICIENT_ACCESS_OR_READONLY), else no rows.
 */
function fakeOrg(rows: Rows, denied: Denied, requests: string[]) {
  const answer = (soql: string): { httpStatusCode: number; body: unknown } => {
    const object = /\bFROM\s+(\w+)/i.exec(soql.replace(/\(SELECT[^)]*\)/gi, ''))?.[1] ?? '';
    const error = denied[object];
    if (error) return { httpStatusCode: 400, body: [{ errorCode: error, message: `no access to ${object}` }] };
    const records = rows[object] ?? [];
    return { httpStatusCode: 200, body: { totalSize: records.length, done: true, records } };
  };
  return (request: AnyJson): Promise<AnyJson> => {
    const { url, body } = request as { url: string; body?: string };
    requests.push(url);
    if (url.endsWith('/composite')) {
      const { compositeRequest } = JSON.parse(body ?? '{}') as { compositeRequest: Array<{ url: string; referenceId: string }> };
      return Promise.resolve<AnyJson>({
        compositeResponse: compositeRequest.map(({ url: subUrl, referenceId }) => ({
          referenceId,
          ...answer(decodeURIComponent((subUrl.split('q=')[1] ?? '').replace(/\+/g, ' '))),
        })) as AnyJson,
      });
    }
    if (url.includes('/query')) {
      const res = answer(decodeURIComponent((url.split('q=')[1] ?? '').replace(/\+/g, ' ')));
      return res.httpStatusCode === 200 ? Promise.resolve(res.body as AnyJson) : Promise.reject(Object.assign(new Error('denied'), (res.body as unknown[])[0]));
    }
    return Promise.reject(new Error(`unexpected request ${url}`));
  };
}

/** Requests other than sf's own org probe when the target-org flag is parsed. */
function orgReads(requests: string[]): string[] {
  return requests.filter((url) => !url.includes('FROM%20Organization'));
}

describe('integration user audit (command)', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let requests: string[];
  let dir: string;
  let sfCommandUx: ReturnType<typeof stubSfCommandUx>;

  beforeEach(async () => {
    requests = [];
    dir = await mkdtemp(join(tmpdir(), 'audit-cmd-'));
    await $$.stubAuths(testOrg);
    sfCommandUx = stubSfCommandUx($$.SANDBOX);
    stubSpinner($$.SANDBOX);
  });

  afterEach(() => {
    process.exitCode = undefined;
  });

  it('--list-rules needs no org: returns the 13 rules and prints them as a table', async () => {
    const result = (await IntegrationUserAudit.run(['--list-rules'])) as IntegrationUserAuditRules;
    expect(result.rules.map((r) => r.id)).to.deep.equal(Array.from({ length: 13 }, (_, i) => `IU${String(i + 1).padStart(3, '0')}`));
    expect(result.rules[0]).to.include({ name: 'missing-api-integration-psl' });
    expect(sfCommandUx.table.callCount).to.equal(1);
    const table = sfCommandUx.table.firstCall.args[0] as { data: unknown[] };
    expect(table.data).to.have.length(13);
    expect(process.exitCode).to.equal(0);
    expect(orgReads(requests)).to.deep.equal([]);
  });

  it('without --target-org and no default org: a clear error naming --list-rules', async () => {
    const err = await IntegrationUserAudit.run([]).then(() => undefined, (e: unknown) => e as SfError);
    expect(err?.name).to.equal('MissingTargetOrgError');
    expect(err?.actions?.join(' ')).to.include('--list-rules');
  });

  describe('with an org', () => {
    beforeEach(async () => {
      await $$.stubConfig({ 'target-org': testOrg.username });
    });

    it('rejects a bad configuration before reading the org', async () => {
      const config = join(dir, 'config.json');
      await writeFile(config, JSON.stringify({ rules: { IU010: { enabled: 'no' } } }));
      $$.fakeConnectionRequest = fakeOrg({}, {}, requests);
      const err = await IntegrationUserAudit.run(['--config', config]).then(() => undefined, (e: unknown) => e as SfError);
      expect(err?.name).to.equal('InvalidConfigError');
      expect(err?.message).to.include('rules.IU010.enabled');
      expect(orgReads(requests)).to.deep.equal([]);
    });

    it('rejects mismatched --output-file/--output-format before reading the org', async () => {
      $$.fakeConnectionRequest = fakeOrg({}, {}, requests);
      const err = await IntegrationUserAudit.run([
        '--output-file',
        join(dir, 'a.sarif'),
        '--output-file',
        join(dir, 'b.xml'),
        '--output-format',
        'sarif',
      ]).then(() => undefined, (e: unknown) => e as SfError);
      expect(err?.name).to.equal('OutputFormatCountError');
      expect(orgReads(requests)).to.deep.equal([]);
    });

    it('rejects a malformed baseline', async () => {
      const baseline = join(dir, 'baseline.json');
      await writeFile(baseline, JSON.stringify({ version: 7, findings: [] }));
      $$.fakeConnectionRequest = fakeOrg({}, {}, requests);
      const err = await IntegrationUserAudit.run(['--baseline', baseline]).then(() => undefined, (e: unknown) => e as SfError);
      expect(err?.name).to.equal('InvalidBaselineError');
      expect(orgReads(requests)).to.deep.equal([]);
    });

    it('an org with nothing to report: the result, every report file written and parsed back, exit code from the result', async () => {
      $$.fakeConnectionRequest = fakeOrg({}, {}, requests);
      const files = ['a.json', 'a.sarif', 'a.xml', 'a.md'].map((f) => join(dir, f));
      const result = (await IntegrationUserAudit.run(files.flatMap((f) => ['--output-file', f]))) as AuditResult;
      expect(result.findings).to.deep.equal([]);
      expect(result.summary).to.deep.include({ usersExamined: 0, findings: 0, suppressed: 0, allowed: 0, failOn: 'high' });
      expect(result.summary.exitCode).to.equal(result.rulesNotEvaluated.length > 0 ? 68 : 0);
      expect(process.exitCode).to.equal(result.summary.exitCode);
      expect(JSON.parse(await readFile(files[0], 'utf8'))).to.deep.equal(result);
      const sarif = JSON.parse(await readFile(files[1], 'utf8')) as { runs: Array<{ tool: { driver: { name: string; rules: unknown[] } } }> };
      expect(sarif.runs[0].tool.driver.name).to.equal('plugin-integration-user');
      expect(sarif.runs[0].tool.driver.rules).to.have.length(13);
      expect(await readFile(files[2], 'utf8')).to.include('<testsuites');
      expect(await readFile(files[3], 'utf8')).to.include('## Integration user audit');
      expect(sfCommandUx.warn.callCount).to.equal(result.rulesNotEvaluated.length);
      expect(requests.length).to.be.greaterThan(0);
    });

    it('permission denied on LoginHistory and OauthToken: those rules are listed as not evaluated, warned, exit 68 with --fail-on none', async () => {
      $$.fakeConnectionRequest = fakeOrg(
        {},
        { LoginHistory: 'INSUFFICIENT_ACCESS_OR_READONLY', OauthToken: 'INSUFFICIENT_ACCESS_OR_READONLY' },
        requests
      );
      const result = (await IntegrationUserAudit.run(['--fail-on', 'none'])) as AuditResult;
      const ids = result.rulesNotEvaluated.map((r) => r.ruleId);
      expect(ids).to.include.members(['IU008', 'IU009']);
      const login = result.rulesNotEvaluated.find((r) => r.ruleId === 'IU009');
      expect(login?.reason).to.include('INSUFFICIENT_ACCESS_OR_READONLY');
      expect(login?.requiredPermission).to.be.a('string').and.not.equal('');
      expect(result.summary).to.deep.include({ exitCode: 68, passed: false, failOn: 'none' });
      expect(process.exitCode).to.equal(68);
      const warnings = sfCommandUx.warn.getCalls().map((c) => c.args[0] as string);
      expect(warnings.some((w) => w.startsWith('Rule IU009 was not evaluated'))).to.be.true;
    });

    it('permission denied on the users themselves: the audit cannot run (an error, exit code 1)', async () => {
      $$.fakeConnectionRequest = fakeOrg({}, { User: 'INSUFFICIENT_ACCESS_OR_READONLY' }, requests);
      const err = await IntegrationUserAudit.run([]).then(() => undefined, (e: unknown) => e as SfError);
      expect(err).to.be.instanceOf(Error);
      expect(err?.message).to.include('INSUFFICIENT_ACCESS_OR_READONLY');
      expect(err?.exitCode ?? 1).to.equal(1);
    });
  });
});
