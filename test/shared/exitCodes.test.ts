import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import { EXIT_CODES, exitCodesHelp } from '../../src/shared/exitCodes.js';
import IntegrationUserList from '../../src/commands/integration/user/list.js';
import IntegrationUserAudit from '../../src/commands/integration/user/audit.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMMANDS = join(ROOT, 'src', 'commands');
const KNOWN = new Set(Object.values(EXIT_CODES).map(String));

type HelpSection = { header: string; body: Array<{ name: string; description: string }> };
type CommandClass = { errorCodes?: HelpSection; id?: string };

function commandFiles(): string[] {
  return readdirSync(COMMANDS, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe('exit codes: one table, in every command help and in the README', function () {
  this.timeout(60_000);

  it('every command lists its exit codes (EXIT CODES help section): 0, 1, 2 and only codes of the table', async () => {
    const problems: string[] = [];
    for (const file of commandFiles()) {
      const where = relative(ROOT, file);
      const command = ((await import(pathToFileURL(file).href)) as { default: CommandClass }).default;
      const section = command.errorCodes;
      if (!section) {
        problems.push(`${where}: no errorCodes (add \`public static readonly errorCodes = exitCodesHelp(messages);\`)`);
        continue;
      }
      const codes = section.body.map((b) => b.name);
      if (section.header !== 'EXIT CODES') problems.push(`${where}: header "${section.header}", not EXIT CODES (use exitCodesHelp)`);
      for (const code of ['0', '1', '2']) if (!codes.includes(code)) problems.push(`${where}: exit code ${code} missing`);
      for (const code of codes) if (!KNOWN.has(code)) problems.push(`${where}: exit code ${code} is not in src/shared/exitCodes.ts`);
      for (const b of section.body) if (!b.description.trim()) problems.push(`${where}: exit code ${b.name} has no description`);
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it("a command's own meaning of a code (its exitCode.N message) replaces the table's, except for the framework's codes", () => {
    const messages = new Map<string, string>([
      ['exitCode.0', 'Every user is frozen now.'],
      ['exitCode.2', 'not the framework meaning'],
      ['exitCode.68', 'Some users were changed.'],
      ['summary', 'ignored'],
    ]);
    const section = exitCodesHelp({ messages, getMessage: (key: string) => messages.get(key)! }) as HelpSection;
    expect(section.header).to.equal('EXIT CODES');
    expect(section.body.map((b) => b.name)).to.deep.equal(['0', '1', '2', '10', '20', '68']);
    expect(section.body[0].description).to.equal('Every user is frozen now.');
    expect(section.body[2].description).to.include('unknown flag');
    expect(section.body[5].description).to.equal('Some users were changed.');
    const unknown = new Map([['exitCode.42', 'no such code']]);
    expect(() => exitCodesHelp({ messages: unknown, getMessage: (key: string) => unknown.get(key)! })).to.throw(/42 is not in/);
  });

  it("the README's exit-code table lists exactly the table's codes", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 1));
    const codes = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => m[1]);
    expect(codes).to.deep.equal([...KNOWN].sort((a, b) => Number(a) - Number(b)));
  });

  describe('as measured (in process, stubbed org)', () => {
    const $$ = new TestContext();
    const testOrg = new MockTestOrgData();

    beforeEach(async () => {
      await $$.stubAuths(testOrg);
      stubSfCommandUx($$.SANDBOX);
    });

    afterEach(() => {
      process.exitCode = undefined;
    });

    async function exitCodeOf(run: Promise<unknown>): Promise<number | undefined> {
      const error = (await run.then(
        () => undefined,
        (e: unknown) => e
      )) as { exitCode?: number } | undefined;
      expect(error, 'expected the command to fail').to.be.instanceOf(Error);
      return error?.exitCode;
    }

    it('an unknown flag: 2', async () => {
      expect(await exitCodeOf(IntegrationUserList.run(['--target-org', testOrg.username, '--bogus']))).to.equal(2);
    });

    it('an unexpected argument: 2', async () => {
      expect(await exitCodeOf(IntegrationUserList.run(['--target-org', testOrg.username, 'extra']))).to.equal(2);
    });

    it('a value outside the flag options: 2', async () => {
      expect(await exitCodeOf(IntegrationUserAudit.run(['--list-rules', '--fail-on', 'nope']))).to.equal(2);
    });

  });

  it('an org sf does not know: 1 (bin/dev.js in a HOME without any org)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'exit-codes-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, USERPROFILE: home, SF_DISABLE_TELEMETRY: 'true', SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' };
      for (const key of Object.keys(env)) if (/^(SF_TARGET_ORG|SFDX_)/.test(key)) delete env[key];
      const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'dev.js'), 'integration', 'user', 'list', '-o', 'no.such.org@example.com', '--json'], {
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
      expect(run.status, run.stderr).to.equal(1);
      expect((JSON.parse(run.stdout) as { name: string }).name).to.equal('NamedOrgNotFoundError');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
