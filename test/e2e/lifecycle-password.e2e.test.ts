/** `sf integration user password` end to end: the REST password resource, the 0600 file, the facts, no leak. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { hashPassword } from '../emulator/org/lifecycle.js';
import { describeResult, startE2E, type E2E } from './harness.js';
import { emulatorSecrets, expectNoLeak, modeOf } from './lifecycleSecrets.js';

type Envelope = { status: number; result: { set: boolean; lastPasswordChangeDate: string | null; useAnyApiAuth: { presentInOrg: boolean }; facts: string[] } };

const user = (e2e: E2E, username: string) => e2e.emu.db.records('User').find((u) => u.Username === username);

describe('e2e: sf integration user password', function () {
  this.timeout(240_000);
  let e2e: E2E;
  let cwd: string;
  before(async () => {
    e2e = await startE2E({ passwordPolicy: { minLength: 32, complexity: 'UpperLowerCaseNumericSpecialCharacters' } });
    cwd = await mkdtemp(join(tmpdir(), 'iu-password-'));
  });
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('sets a policy-meeting password through the REST resource, only into a new 0600 file, with the login() facts', async () => {
    const file = join(cwd, 'legacy.password');
    expect(user(e2e, 'legacy.etl@acme.example.com')?.LastPasswordChangeDate).to.equal(null);
    const out = await e2e.run(['integration', 'user', 'password', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--password-file', file, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const password = (await readFile(file, 'utf8')).trim();
    expect(password).to.have.length(40);
    expect(await modeOf(file)).to.equal(0o600);
    const id = String(user(e2e, 'legacy.etl@acme.example.com')?.Id);
    expect(e2e.emu.lifecycle.passwords.get(id.slice(0, 15))).to.equal(hashPassword(password));
    const { result } = out.json as Envelope;
    expect(result.set).to.equal(true);
    expect(result.lastPasswordChangeDate).to.be.a('string');
    expect(user(e2e, 'legacy.etl@acme.example.com')?.LastPasswordChangeDate).to.be.a('string');
    expect(result.useAnyApiAuth.presentInOrg).to.equal(false);
    const facts = result.facts.join('\n');
    for (const fact of ['API 65.0', "Winter '26", 'Use Any API Auth', "Summer '27", 'security token', 'Login IP Ranges', 'generate app', 'Bulk API 2.0']) expect(facts).to.include(fact);
    const human = await e2e.run(['integration', 'user', 'password', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--password-file', join(cwd, 'second.password')], { cwd });
    expect(human.exitCode, describeResult(human)).to.equal(0);
    const second = (await readFile(join(cwd, 'second.password'), 'utf8')).trim();
    await expectNoLeak(e2e, out, [...emulatorSecrets(e2e), password, second], cwd, [file, join(cwd, 'second.password')]);
    await expectNoLeak(e2e, human, [password, second], cwd, [file, join(cwd, 'second.password')]);
  });

  it('refuses an existing file before any request, and a human user', async () => {
    e2e.emu.resetRequestLog();
    const exists = await e2e.run(['integration', 'user', 'password', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--password-file', join(cwd, 'legacy.password'), '--json'], { cwd });
    expect(exists.exitCode, describeResult(exists)).to.equal(1);
    expect(e2e.emu.requests.filter((r) => r.path.startsWith('/services/data/'))).to.have.length(0);
    const human = await e2e.run(['integration', 'user', 'password', '-o', 'emu', '-u', 'jane.doe@acme.example.com', '--password-file', join(cwd, 'jane.password'), '--json'], { cwd });
    expect(human.exitCode, describeResult(human)).to.equal(1);
    expect(existsSync(join(cwd, 'jane.password'))).to.equal(false);
    expect(user(e2e, 'jane.doe@acme.example.com')?.LastPasswordChangeDate).to.equal(null);
  });
});

describe('e2e: password refused by the org or without the right', function () {
  this.timeout(120_000);
  let e2e: E2E;
  let cwd: string;
  after(async () => {
    await e2e?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('an org policy the password misses: not set, the file removed; no Reset Passwords right: refused first', async () => {
    e2e = await startE2E({ passwordPolicy: { minLength: 60, complexity: 'UpperLowerCaseNumericSpecialCharacters' } });
    cwd = await mkdtemp(join(tmpdir(), 'iu-password-'));
    const file = join(cwd, 'x.password');
    const out = await e2e.run(['integration', 'user', 'password', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--password-file', file, '--json'], { cwd });
    expect(out.exitCode, describeResult(out)).to.equal(1);
    expect((out.json as { message: string }).message).to.include('at least 60 characters');
    expect(existsSync(file)).to.equal(false);
    await e2e.close();
    e2e = await startE2E({ runningUser: 'restricted' });
    const denied = await e2e.run(['integration', 'user', 'password', '-o', 'emu', '-u', 'legacy.etl@acme.example.com', '--password-file', file, '--json'], { cwd });
    expect(denied.exitCode, describeResult(denied)).to.equal(1);
    expect((denied.json as { message: string }).message).to.match(/Reset User Passwords|Manage Users/);
    expect(existsSync(file)).to.equal(false);
  });
});
