/** Library pieces of the lifecycle and credentials commands that need no org. */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { rotateExitCode, type RotateResult } from '../../../src/shared/credentials/rotate.js';
import { checkSecretFile, writeSecretFile } from '../../../src/shared/credentials/secretFile.js';
import { deactivateExitCode, reactivateExitCode, type DeactivateResult, type ReactivateResult } from '../../../src/shared/lifecycle/deactivate.js';
import { freezeExitCode, type FreezeResult } from '../../../src/shared/lifecycle/freeze.js';
import { generatePassword, PASSWORD_LENGTH } from '../../../src/shared/lifecycle/password.js';
import { findEca, tokensByApp, type UserTokens } from '../../../src/shared/lifecycle/tokens.js';
import { checkUsers, type LifecycleUser } from '../../../src/shared/lifecycle/users.js';

const user = (username: string, isIntegration: boolean): LifecycleUser => ({
  id: `005${username.length}`,
  username,
  name: username,
  isActive: true,
  isFrozen: false,
  loginId: '060x',
  profileId: '00e',
  profileName: isIntegration ? 'Minimum Access - API Only Integrations' : 'Standard User',
  userLicense: isIntegration ? 'Salesforce Integration' : 'Salesforce',
  userLicenseId: '100',
  isIntegration,
});

describe('lifecycle library', () => {
  it('generatePassword: 40 characters, every class, never the username or "password"', () => {
    for (let i = 0; i < 200; i++) {
      const p = generatePassword('etl@acme.example.com');
      expect(p).to.have.length(PASSWORD_LENGTH);
      expect(p).to.match(/[A-Z]/).and.match(/[a-z]/).and.match(/\d/).and.match(/[^A-Za-z0-9]/);
      expect(p.toLowerCase()).not.to.include('etl');
      expect(p.toLowerCase()).not.to.include('password');
    }
    expect(generatePassword('a@b.c')).not.to.equal(generatePassword('a@b.c'));
  });

  it('checkUsers reports every unknown and non-integration user at once, with actions and "did you mean"', () => {
    const users = [user('int@acme.com', true), user('human@acme.com', false)];
    expect(checkUsers(['INT@acme.com'], users, false).map((u) => u.username)).to.deep.equal(['int@acme.com']);
    let err: (Error & { actions?: string[] }) | undefined;
    try {
      checkUsers(['int@acme.com', 'human@acme.com', 'nobody@acme.com', 'billing.snyc@acme.com'], users, false, ['billing.sync@acme.com', 'int@acme.com']);
    } catch (e) {
      err = e as Error & { actions?: string[] };
    }
    expect(err?.message).to.include('3 problems found before writing');
    expect(err?.message).to.include('No user with username "nobody@acme.com" in this org.\n');
    expect(err?.message).to.include('No user with username "billing.snyc@acme.com" in this org. Did you mean billing.sync@acme.com?');
    expect(err?.message).to.include('human@acme.com');
    expect(err?.actions?.join(' ')).to.include('--allow-non-integration-user');
    expect(checkUsers(['human@acme.com'], users, true)).to.have.length(1);
  });

  it('tokensByApp filters by token AppName or ECA API name; findEca matches label or DeveloperName', () => {
    const data: UserTokens = {
      tokens: [
        { id: '1', appName: 'Billing Sync', userId: 'u', deleteToken: 'a' },
        { id: '2', appName: 'Billing Sync', userId: 'u', deleteToken: 'b' },
        { id: '3', appName: 'Zapier', userId: 'u', deleteToken: 'c' },
      ],
      ecas: [{ id: '0xI1', developerName: 'Billing_Sync', label: 'Billing Sync', distributionState: 'Local' }],
      ecasRead: true,
    };
    expect([...tokensByApp(data).entries()].map(([k, v]) => [k, v.length])).to.deep.equal([['Billing Sync', 2], ['Zapier', 1]]);
    expect([...tokensByApp(data, 'Billing_Sync').keys()]).to.deep.equal(['Billing Sync']);
    expect([...tokensByApp(data, 'zapier').keys()]).to.deep.equal(['Zapier']);
    expect(findEca(data.ecas, 'billing sync')?.id).to.equal('0xI1');
    expect(findEca(data.ecas, 'Zapier')).to.equal(undefined);
  });

  it('exit codes: 0 all done, 68 partial, 1 nothing changed (freeze, rotate, deactivate, reactivate)', () => {
    const freeze = (statuses: string[]): FreezeResult =>
      ({ action: 'freeze', dryRun: false, reason: null, writeRequests: 1, users: statuses.map((status) => ({ status })) }) as unknown as FreezeResult;
    expect(freezeExitCode(freeze(['frozen', 'unchanged']))).to.equal(0);
    expect(freezeExitCode(freeze(['frozen', 'failed']))).to.equal(68);
    expect(freezeExitCode(freeze(['failed']))).to.equal(1);
    const rotate = (steps: Array<[string, string]>): RotateResult => ({ steps: steps.map(([step, status]) => ({ step, status })) }) as unknown as RotateResult;
    expect(rotateExitCode(rotate([['stage', 'done'], ['writeSecret', 'done'], ['rotate', 'done']]))).to.equal(0);
    expect(rotateExitCode(rotate([['stage', 'done'], ['writeSecret', 'done'], ['rotate', 'failed']]))).to.equal(68);
    expect(rotateExitCode(rotate([['stage', 'failed'], ['writeSecret', 'skipped']]))).to.equal(1);
    const deactivate = (status: DeactivateResult['status']): DeactivateResult => ({ status }) as DeactivateResult;
    expect((['deactivated', 'grantsRemoved', 'unchanged', 'wouldDeactivate', 'wouldRemoveGrants'] as const).map((s) => deactivateExitCode(deactivate(s)))).to.deep.equal([0, 0, 0, 0, 0]);
    expect(deactivateExitCode(deactivate('partial'))).to.equal(68);
    expect(deactivateExitCode(deactivate('refused'))).to.equal(1);
    expect(deactivateExitCode(deactivate('failed'))).to.equal(1);
    const reactivate = (status: ReactivateResult['status']): ReactivateResult => ({ status }) as ReactivateResult;
    expect((['reactivated', 'unchanged', 'wouldReactivate'] as const).map((s) => reactivateExitCode(reactivate(s)))).to.deep.equal([0, 0, 0]);
    expect(reactivateExitCode(reactivate('failed'))).to.equal(1);
  });

  describe('secret files', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'iu-secret-'));
    });
    afterEach(async () => rm(dir, { recursive: true, force: true }));

    it('creates a new 0600 file, refuses an existing one unless forced (then 0600 again), refuses a missing folder', async () => {
      const file = await checkSecretFile(join(dir, 's'), false);
      await writeSecretFile(file, 'top-secret', false);
      expect((await stat(file)).mode & 0o777).to.equal(0o600);
      expect(await readFile(file, 'utf8')).to.equal('top-secret\n');
      let refused = '';
      await checkSecretFile(file, false).catch((e: Error) => (refused = e.message));
      expect(refused).to.include('already exists');
      await writeFile(join(dir, 'open'), 'x', { mode: 0o644 });
      await writeSecretFile(await checkSecretFile(join(dir, 'open'), true), 'new', true);
      expect((await stat(join(dir, 'open'))).mode & 0o777).to.equal(0o600);
      let missing = '';
      await checkSecretFile(join(dir, 'nope', 's'), false).catch((e: Error) => (missing = e.message));
      expect(missing).to.include("doesn't exist");
    });
  });
});
