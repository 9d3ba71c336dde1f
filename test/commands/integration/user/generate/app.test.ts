import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Connection, type SfError } from '@salesforce/core';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import type { AnyJson } from '@salesforce/ts-types';
import IntegrationUserGenerateApp from '../../../../../src/commands/integration/user/generate/app.js';
import { CERTIFICATE, FIXTURES } from '../../../../shared/eca/helpers.js';
import { startEmulator, type Emulator } from '../../../../emulator/index.js';
import { connectTo } from '../../../../helpers/connection.js';

/**
 * With --target-org the command reads the org emulator (in process): TestContext stubs the auth files and
 * Connection.prototype.request, and each request is handed to a real Connection to the emulator (as in
 * list.test.ts). Every URL the command sends is recorded, so "sends nothing" is observable.
 */
// eslint-disable-next-line @typescript-eslint/unbound-method -- only ever called with .call(realConnection, …)
const realRequest = Connection.prototype.request;

function forwardTo(real: () => Connection | undefined, requests: string[]) {
  return (request: AnyJson, options?: AnyJson): Promise<AnyJson> => {
    const conn = real();
    if (!conn) return Promise.reject(new Error('no emulator started'));
    const rewrite = (url: string): string => url.replace(/^https?:\/\/[^/]+/, '');
    const r = request as string | { url: string };
    requests.push(typeof r === 'string' ? r : r.url);
    const req = typeof r === 'string' ? rewrite(r) : { ...r, url: rewrite(r.url) };
    type Args = Parameters<Connection['request']>;
    return realRequest.call(conn, req as Args[0], options as Args[1]) as Promise<AnyJson>;
  };
}

async function listTree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function rejection(p: Promise<unknown>): Promise<SfError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err, 'expected a rejection').to.be.instanceOf(Error);
  return err as SfError;
}

describe('integration user generate app (command)', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  const cwd = process.cwd();
  let ux: ReturnType<typeof stubSfCommandUx>;
  let requests: string[];
  let project: string;
  let out: string;
  let emu: Emulator;
  let real: Connection | undefined;
  const logged = (): string => ux.log.args.flat().join('\n');

  before(async () => {
    emu = await startEmulator({ seed: 'default' });
    real = await connectTo(emu, '62.0');
  });

  after(async () => {
    await emu.close();
  });

  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    // A default org is configured: without -o the command must still send nothing.
    await $$.stubConfig({ 'target-org': testOrg.username });
    ux = stubSfCommandUx($$.SANDBOX);
    requests = [];
    $$.fakeConnectionRequest = forwardTo(() => real, requests);
    project = await realpath(await mkdtemp(join(tmpdir(), 'eca-cmd-')));
    await mkdir(join(project, 'force-app'));
    const projectJson = { packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' };
    await writeFile(join(project, 'sfdx-project.json'), JSON.stringify(projectJson));
    // TestContext pins the project to a path of its own and stubs config files: find the project on the disk
    // (the command's cwd), and give sfdx-project.json its contents.
    $$.SANDBOXES.PROJECT.restore();
    $$.setConfigStubContents('SfProjectJson', { contents: projectJson });
    out = join(project, 'force-app', 'main', 'default');
    process.chdir(project);
  });

  afterEach(async () => {
    process.chdir(cwd);
    process.exitCode = undefined;
    await rm(project, { recursive: true, force: true });
  });

  it('writes a client-credentials app into the default package directory and prints the next steps, sending nothing', async () => {
    const result = await IntegrationUserGenerateApp.run([
      '-n', 'Billing_Sync', '--contact-email', 'it@acme.example.com', '--run-as', 'billing.sync@acme.example.com', '--permission-set', 'Billing_Sync_Access',
      '--label', 'Billing Sync & Co — "ERP" <v2>', '--description', "Nightly invoices from the ERP; owner's team: Ünternehmen IT", '--api-version', '60.0',
    ]);
    expect(await listTree(out)).to.deep.equal(await listTree(join(FIXTURES, 'client-credentials')));
    for (const file of await listTree(out)) {
      expect(await readFile(join(out, file), 'utf8')).to.equal(await readFile(join(FIXTURES, 'client-credentials', file), 'utf8'));
    }
    expect(result).to.include({ name: 'Billing_Sync', flow: 'client-credentials', runAs: 'billing.sync@acme.example.com', outputDir: out, dryRun: false });
    expect(result.files.map((f) => f.type)).to.deep.equal([
      'ExternalClientApplication', 'ExtlClntAppGlobalOauthSettings', 'ExtlClntAppOauthSettings', 'ExtlClntAppOauthConfigurablePolicies',
    ]);
    expect(result.files.every((f) => f.xml === undefined)).to.be.true;
    expect(result.nextSteps[0].command).to.equal(
      'sf project deploy start --source-dir force-app/main/default/externalClientApps/Billing_Sync.eca-meta.xml' +
        ' --source-dir force-app/main/default/extlClntAppGlobalOauthSets/Billing_Sync.ecaGlblOauth-meta.xml' +
        ' --source-dir force-app/main/default/extlClntAppOauthSettings/Billing_Sync.ecaOauth-meta.xml' +
        ' --source-dir force-app/main/default/extlClntAppOauthPolicies/Billing_Sync_defaultPolicy.ecaOauthPlcy-meta.xml --api-version 60.0'
    );
    expect(result.nextSteps[1].command).to.equal("echo '**/*.ecaGlblOauth-meta.xml' >> .gitignore");
    expect(result.nextSteps[2].description).to.include('External Client App Manager').and.include('Consumer Key');
    expect(logged()).to.include(join(out, 'externalClientApps', 'Billing_Sync.eca-meta.xml')).and.include('sf project deploy start');
    expect(requests).to.deep.equal([]);
  });

  it('writes a JWT app from a certificate and prints the sf org login jwt line', async () => {
    const result = await IntegrationUserGenerateApp.run([
      '-n', 'CI_Deploy', '--contact-email', 'it@acme.example.com', '--flow', 'jwt', '--certificate', CERTIFICATE,
      '--run-as', 'ci@acme.example.com', '--permission-set', 'CI_Deploy_Access', '--profile', 'Minimum Access - API Only Integrations',
    ]);
    expect(await listTree(out)).to.deep.equal(await listTree(join(FIXTURES, 'jwt')));
    expect(result.nextSteps.at(-1)?.command).to.equal(
      "sf org login jwt --client-id <consumer key> --jwt-key-file <private key of the certificate> --username ci@acme.example.com"
    );
    expect(result.nextSteps[0].command).to.include('--api-version 62.0');
    expect(logged()).to.include('sf org login jwt --client-id');
  });

  it('prints a web-server app and its contents on --dry-run without writing anything', async () => {
    const result = await IntegrationUserGenerateApp.run([
      '-n', 'Partner_Portal', '--contact-email', 'it@acme.example.com', '--flow', 'web-server', '--callback-url', 'https://partner.example.com/oauth/callback',
      '--scopes', 'api,refreshtoken', '--scopes', 'OpenID', '--profile', 'Partner Integration', '--label', 'Partner Portal', '--dry-run', '--json',
    ]);
    expect(await readdir(join(project, 'force-app'))).to.deep.equal([]);
    expect(result.dryRun).to.be.true;
    expect(result.files).to.have.length(5);
    const golden = await readFile(join(FIXTURES, 'web-server', 'extlClntAppOauthSettings', 'Partner_Portal.ecaOauth-meta.xml'), 'utf8');
    expect(result.files.find((f) => f.type === 'ExtlClntAppOauthSettings')?.xml).to.equal(golden);
  });

  it('prints the file contents on a human dry run', async () => {
    await IntegrationUserGenerateApp.run(['-n', 'Billing_Sync', '--contact-email', 'it@acme.example.com', '--run-as', 'billing.sync@acme.example.com', '--dry-run']);
    expect(logged()).to.include('<clientCredentialsFlowUser>billing.sync@acme.example.com</clientCredentialsFlowUser>').and.include('Dry run');
    expect(await readdir(join(project, 'force-app'))).to.deep.equal([]);
  });

  it('refuses existing files, lists them, and writes nothing', async () => {
    await mkdir(join(out, 'externalClientApps'), { recursive: true });
    await writeFile(join(out, 'externalClientApps', 'Billing_Sync.eca-meta.xml'), 'mine');
    const err = await rejection(
      IntegrationUserGenerateApp.run(['-n', 'Billing_Sync', '--contact-email', 'it@acme.example.com', '--run-as', 'billing.sync@acme.example.com'])
    );
    expect(err.name).to.equal('FilesExistError');
    expect(err.message).to.include(join(out, 'externalClientApps', 'Billing_Sync.eca-meta.xml'));
    expect(await listTree(out)).to.deep.equal(['externalClientApps/Billing_Sync.eca-meta.xml']);
  });

  it('needs --output-dir outside an sfdx project', async () => {
    const outside = await realpath(await mkdtemp(join(tmpdir(), 'eca-outside-')));
    process.chdir(outside);
    try {
      const args = ['-n', 'Billing_Sync', '--contact-email', 'it@acme.example.com', '--run-as', 'billing.sync@acme.example.com'];
      const err = await rejection(IntegrationUserGenerateApp.run(args));
      expect(err.name).to.equal('NoProjectError');
      expect(err.actions?.[0]).to.include('--output-dir');
      const result = await IntegrationUserGenerateApp.run([...args, '-d', 'metadata']);
      expect(result.outputDir).to.equal(join(outside, 'metadata'));
      expect(await listTree(join(outside, 'metadata'))).to.have.length(4);
    } finally {
      process.chdir(project);
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses a bad name, a private key as certificate, and a missing run-as user', async () => {
    const base = ['--contact-email', 'it@acme.example.com'];
    expect((await rejection(IntegrationUserGenerateApp.run(['-n', 'Billing-Sync', ...base, '--run-as', 'a@b.c']))).name).to.equal('InvalidNameError');
    expect((await rejection(IntegrationUserGenerateApp.run(['-n', 'Billing_Sync', ...base]))).name).to.equal('RunAsRequiredError');
    const key = join(project, 'server.key');
    await writeFile(key, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const err = await rejection(IntegrationUserGenerateApp.run(['-n', 'CI', ...base, '--flow', 'jwt', '--certificate', key, '--profile', 'X']));
    expect(err.name).to.equal('PrivateKeyError');
    expect(await readdir(join(project, 'force-app'))).to.deep.equal([]);
  });

  describe('with --target-org (org emulator)', () => {
    const args = ['-n', 'Billing_Sync', '--contact-email', 'it@acme.example.com', '--run-as', 'billing.sync@acme.example.com', '--permission-set', 'billing_sync_access'];

    it('checks the run-as user and pre-authorises by the org spelling of the names', async () => {
      const result = await IntegrationUserGenerateApp.run([...args, '--target-org', testOrg.username]);
      expect(requests.filter((u) => u.endsWith('/composite')).length).to.be.at.most(2);
      const policies = await readFile(join(out, 'extlClntAppOauthPolicies', 'Billing_Sync_defaultPolicy.ecaOauthPlcy-meta.xml'), 'utf8');
      expect(policies).to.include('<commaSeparatedPermissionSet>Billing_Sync_Access</commaSeparatedPermissionSet>');
      expect(result.nextSteps[0].command).to.match(new RegExp(`--target-org ${testOrg.username}$`));
    });

    it('refuses a run-as user that is not an integration user, writing nothing', async () => {
      const err = await rejection(
        IntegrationUserGenerateApp.run(['-n', 'Billing_Sync', '--contact-email', 'it@acme.example.com', '--run-as', 'john.smith@acme.example.com', '--target-org', testOrg.username])
      );
      expect(err.name).to.equal('NotIntegrationUserError');
      expect(await readdir(join(project, 'force-app'))).to.deep.equal([]);
    });

    it('lists every unknown permission set and profile at once with "did you mean", writing nothing', async () => {
      const err = await rejection(
        IntegrationUserGenerateApp.run([
          '-n', 'Billing_Sync', '--contact-email', 'it@acme.example.com', '--run-as', 'billing.sync@acme.example.com',
          '--permission-set', 'Billing_Sync_Acess', '--permission-set', 'Integration_API_Access', '--permission-set', 'No_Such_Set_Zzz',
          '--profile', 'Minimum Access - API Only Integration', '--target-org', testOrg.username,
        ])
      );
      expect(err.name).to.equal('OrgCheckFailedError');
      expect(err.message).to.include('Billing_Sync_Acess (did you mean Billing_Sync_Access?)');
      expect(err.message).to.include('No_Such_Set_Zzz').and.include('(did you mean Minimum Access - API Only Integrations');
      expect(err.message).to.not.include('Integration_API_Access');
      expect(await readdir(join(project, 'force-app'))).to.deep.equal([]);
    });
  });
});
