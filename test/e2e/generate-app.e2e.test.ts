/** End to end: the real sf (linked plugin) and bin/run.js against the org emulator's seed users. */
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, markRequests, requestsSince, startE2E, type E2E } from './harness.js';
import type { IntegrationUserGenerateAppResult } from '../../src/commands/integration/user/generate/app.js';

describe('integration user generate app (e2e)', () => {
  let e2e: E2E;
  let project: string;
  const args = (runAs: string): string[] => [
    'integration', 'user', 'generate', 'app', '-n', 'Billing_Sync', '--contact-email', 'it@acme.example.com', '--run-as', runAs, '-o', 'emu', '--json',
  ];

  before(async () => {
    e2e = await startE2E({ link: true });
  });
  after(async () => e2e?.close());

  beforeEach(async () => {
    project = await mkdtemp(join(tmpdir(), 'eca-e2e-'));
    await mkdir(join(project, 'force-app'));
    await writeFile(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
  });
  afterEach(async () => rm(project, { recursive: true, force: true }));

  it('generates a client-credentials app for the API-only integration user through the real sf, with reads only', async () => {
    const mark = markRequests(e2e.emu);
    const result = await e2e.sf(args('billing.sync@acme.example.com'), { cwd: project });
    expect(result.exitCode, describeResult(result)).to.equal(0);
    const json = result.json as { status: number; result: IntegrationUserGenerateAppResult };
    expect(json.result).to.include({ flow: 'client-credentials', runAs: 'billing.sync@acme.example.com' });
    expect(json.result.files).to.have.length(4);
    expect(await readdir(join(project, 'force-app', 'main', 'default'))).to.have.members([
      'externalClientApps', 'extlClntAppGlobalOauthSets', 'extlClntAppOauthSettings', 'extlClntAppOauthPolicies',
    ]);
    const methods = requestsSince(e2e.emu, mark).map((r) => `${r.method} ${r.path}`);
    expect(methods.filter((m) => m.startsWith('GET ') || m.endsWith('/composite'))).to.have.length.greaterThan(0);
    expect(methods.filter((m) => !m.startsWith('GET ') && !m.endsWith('/composite'))).to.deep.equal([]);
  });

  for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', 'http://example.com/callback']) {
    it(`refuses the callback URL ${url} (https only, http only to localhost) and writes nothing`, async () => {
      const result = await e2e.run([...args('billing.sync@acme.example.com'), '--flow', 'web-server', '--permission-set', 'Billing_Sync_Access', '--callback-url', url], { cwd: project });
      expect(result.exitCode, describeResult(result)).to.equal(1);
      expect((result.json as { message: string }).message).to.include(url);
      expect(await readdir(join(project, 'force-app'))).to.deep.equal([]);
    });
  }

  it('accepts an http callback to localhost', async () => {
    const result = await e2e.run([...args('billing.sync@acme.example.com'), '--flow', 'web-server', '--permission-set', 'Billing_Sync_Access', '--callback-url', 'http://localhost:1717/OauthRedirect'], { cwd: project });
    expect(result.exitCode, describeResult(result)).to.equal(0);
  });

  for (const runAs of ['erp.integration@acme.example.com', 'jane.doe@acme.example.com']) {
    it(`refuses ${runAs} (not an integration user) and writes nothing`, async () => {
      const result = await e2e.run(args(runAs), { cwd: project });
      expect(result.exitCode, describeResult(result)).to.equal(1);
      expect((result.json as { name: string }).name).to.equal('NotIntegrationUserError');
      expect(await readdir(join(project, 'force-app'))).to.deep.equal([]);
    });
  }
});
