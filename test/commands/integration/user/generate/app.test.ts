import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import IntegrationUserGenerateApp from '../../../../../src/commands/integration/user/generate/app.js';
import { CERTIFICATE, FIXTURES } from '../../../../shared/eca/helpers.js';

type Row = Record<string, unknown>;

const USER = (license: string): Row => ({
  Id: '005000000000001AAA',
  Username: 'billing.sync@acme.example.com',
  IsActive: true,
  ProfileId: '00e000000000001AAA',
  Profile: { Name: 'Minimum Access - API Only Integrations', UserLicense: { Name: license } },
});

/** A fake org answering composite queries by queried object; records every request URL. */
function fakeOrg(rows: Record<string, Row[]>, requests: string[]) {
  return (request: unknown): Promise<unknown> => {
    const { url, body } = request as { url: string; body?: string };
    requests.push(url);
    if (!url.endsWith('/composite')) return Promise.reject(new Error(`unexpected request ${url}`));
    const { compositeRequest } = JSON.parse(body ?? '{}') as { compositeRequest: Array<{ url: string; referenceId: string }> };
    return Promise.resolve({
      compositeResponse: compositeRequest.map(({ url: subUrl, referenceId }) => {
        const soql = decodeURIComponent(subUrl.split('q=')[1] ?? '');
        const object = /\bFROM\s+(\w+)/i.exec(soql.replace(/\(SELECT[^)]*\)/gi, ''))?.[1] ?? '';
        const records = rows[object] ?? [];
        return { referenceId, httpStatusCode: 200, body: { totalSize: records.length, done: true, records } };
      }),
    });
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
  const logged = (): string => ux.log.args.flat().join('\n');

  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    // A default org is configured: without -o the command must still send nothing.
    await $$.stubConfig({ 'target-org': testOrg.username });
    ux = stubSfCommandUx($$.SANDBOX);
    requests = [];
    $$.fakeConnectionRequest = fakeOrg({}, requests) as typeof $$.fakeConnectionRequest;
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

  describe('with --target-org', () => {
    const args = ['-n', 'Billing_Sync', '--contact-email', 'it@acme.example.com', '--run-as', 'billing.sync@acme.example.com', '--permission-set', 'billing_sync_access'];
    const grants = [{ Id: '0Pa000000000001AAA', AssigneeId: '005000000000001AAA', PermissionSetId: '0PS000000000001AAA', PermissionSet: { Name: 'Billing_Sync_Access', Label: 'Billing Sync Access', IsOwnedByProfile: false } }];

    it('checks the run-as user and pre-authorises by the org spelling of the names', async () => {
      $$.fakeConnectionRequest = fakeOrg(
        { User: [USER('Salesforce Integration')], PermissionSetAssignment: grants, PermissionSet: [{ Name: 'Billing_Sync_Access' }] },
        requests
      ) as typeof $$.fakeConnectionRequest;
      const result = await IntegrationUserGenerateApp.run([...args, '--target-org', testOrg.username]);
      expect(requests.filter((u) => u.endsWith('/composite'))).to.have.length(2);
      const policies = await readFile(join(out, 'extlClntAppOauthPolicies', 'Billing_Sync_defaultPolicy.ecaOauthPlcy-meta.xml'), 'utf8');
      expect(policies).to.include('<commaSeparatedPermissionSet>Billing_Sync_Access</commaSeparatedPermissionSet>');
      expect(result.nextSteps[0].command).to.match(new RegExp(`--target-org ${testOrg.username}$`));
    });

    it('refuses a run-as user that is not an integration user, writing nothing', async () => {
      $$.fakeConnectionRequest = fakeOrg({ User: [USER('Salesforce')], PermissionSetAssignment: grants, PermissionSet: [{ Name: 'Billing_Sync_Access' }] }, requests) as typeof $$.fakeConnectionRequest;
      const err = await rejection(IntegrationUserGenerateApp.run([...args, '--target-org', testOrg.username]));
      expect(err.name).to.equal('NotIntegrationUserError');
      expect(await readdir(join(project, 'force-app'))).to.deep.equal([]);
    });
  });
});
