import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cliEnv } from '../e2e/harness.js';
import { startEmulator, type Emulator } from './index.js';

const exec = promisify(execFile);
const SF = resolve('node_modules/.bin/sf');

describe('org emulator: the real sf CLI', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let home: string;
  before(async () => {
    emu = await startEmulator();
    home = await mkdtemp(join(tmpdir(), 'emu-sf-'));
  });
  after(async () => {
    await emu.close();
    await rm(home, { recursive: true, force: true });
  });

  const sf = async (args: string[], extra: Record<string, string> = {}): Promise<{ status: number; result: Record<string, unknown> }> => {
    const { stdout } = await exec(SF, [...args, '--json'], { env: { ...cliEnv(home), ...extra } });
    return JSON.parse(stdout) as { status: number; result: Record<string, unknown> };
  };

  it('logs in with an access token and answers every request sf makes; data query returns the integration users', async () => {
    const login = await sf(['org', 'login', 'access-token', '--instance-url', emu.instanceUrl, '--no-prompt', '--alias', 'emu'], { SF_ACCESS_TOKEN: emu.accessToken });
    expect(login.status).to.equal(0);
    expect(login.result).to.include({ username: 'admin@acme.example.com', orgId: emu.orgId, instanceApiVersion: '66.0', orgEdition: 'Enterprise Edition' });

    const query = await sf(['data', 'query', '-q', "SELECT Username FROM User WHERE Profile.UserLicense.Name = 'Salesforce Integration'", '-o', 'emu']);
    expect(query.status).to.equal(0);
    const usernames = (query.result.records as Array<{ Username: string }>).map((r) => r.Username);
    expect(usernames).to.have.members(['billing.sync', 'warehouse.sync', 'shared.connector', 'legacy.etl', 'old.integration'].map((u) => `${u}@acme.example.com`));

    const unanswered = emu.requests.filter((r) => r.status >= 400 && !r.query.includes('ScratchOrgInfo'));
    expect(unanswered, JSON.stringify(emu.requests)).to.deep.equal([]);
    expect(emu.requests.map((r) => r.path)).to.include.members(['/services/oauth2/userinfo', '/services/data']);
  });

  it('sf data create record -s PermissionSet creates a set an admin script can then grant object access on (after the login above)', async function () {
    this.timeout(180_000); // three sf runs
    const created = await sf(['data', 'create', 'record', '-s', 'PermissionSet', '-v', "Name=Planted_Risk Label='Planted Risk' PermissionsViewAllData=true", '-o', 'emu']);
    expect(created.status).to.equal(0);
    const id = String(created.result.id);
    expect(emu.db.byId(id)?.record).to.include({ Name: 'Planted_Risk', Label: 'Planted Risk', PermissionsViewAllData: true, Type: 'Regular' });
    const access = await sf(['data', 'create', 'record', '-s', 'ObjectPermissions', '-v', `ParentId=${id} SobjectType=Account PermissionsRead=true`, '-o', 'emu']);
    expect(access.status).to.equal(0);
    const updated = await sf(['data', 'update', 'record', '-s', 'PermissionSet', '-i', id, '-v', "Label='Planted Risk 2'", '-o', 'emu']);
    expect(updated.status).to.equal(0);
    expect(emu.db.byId(id)?.record.Label).to.equal('Planted Risk 2');
  });
});
