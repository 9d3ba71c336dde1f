import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ESLint, type Linter } from 'eslint';
import { fixupPluginRules } from '@eslint/compat';
import sfPlugin from 'eslint-plugin-sf-plugin';
import tseslint from 'typescript-eslint';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// A command that breaks the main rules of Salesforce's plugin lint (eslint-plugin-sf-plugin).
const BAD_COMMAND = `import { SfCommand, Flags } from '@salesforce/sf-plugins-core';

export type BadResult = { ok: boolean };

export default class Bad extends SfCommand<BadResult> {
  public static readonly summary = 'A hardcoded summary';

  public static readonly flags = {
    'target-org': Flags.requiredOrg({ summary: 'hard coded' }),
    helpme: Flags.string({ char: 'h', summary: 'hard coded' }),
    camelCase: Flags.boolean({}),
  };

  public async run(): Promise<BadResult> {
    const { flags } = await this.parse(Bad);
    flags['target-org'].getConnection();
    return { ok: true };
  }
}
`;

describe('lint: Salesforce plugin rules (eslint-plugin-sf-plugin under ESLint 10)', function () {
  this.timeout(60_000);

  it('eslint.config.js applies the recommended sf-plugin rules to commands and the library rules to src/shared', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const command = (await eslint.calculateConfigForFile(join(ROOT, 'src/commands/integration/user/list.ts'))) as Linter.Config;
    for (const rule of ['flag-summary', 'command-summary', 'command-example', 'no-hardcoded-messages-flags', 'no-h-short-char', 'flag-case', 'no-missing-messages']) {
      expect(command.rules?.[`sf-plugin/${rule}`], rule).to.not.equal(undefined);
    }
    const library = (await eslint.calculateConfigForFile(join(ROOT, 'src/shared/list.ts'))) as Linter.Config;
    expect(library.rules?.['sf-plugin/no-missing-messages']).to.not.equal(undefined);
    expect(library.rules?.['sf-plugin/flag-summary']).to.equal(undefined);
  });

  it('the rules fire on a bad command (the compat shim makes them see ESLint 10 contexts)', async () => {
    const eslint = new ESLint({
      cwd: ROOT,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { 'sf-plugin': fixupPluginRules(sfPlugin) },
          // every recommended rule but the one that needs type information (parserOptions.project)
          rules: { ...sfPlugin.configs.recommended.rules, 'sf-plugin/no-missing-messages': 'off' },
        },
      ],
    });
    const [result] = await eslint.lintText(BAD_COMMAND, { filePath: join(ROOT, 'src/commands/bad/command.ts') });
    const fired = new Set(result.messages.map((m) => m.ruleId));
    for (const rule of ['command-example', 'no-hardcoded-messages-commands', 'no-hardcoded-messages-flags', 'flag-summary', 'no-h-short-char', 'flag-case', 'get-connection-with-version']) {
      expect(fired, `sf-plugin/${rule} did not fire`).to.include(`sf-plugin/${rule}`);
    }
  });

  it('without the shim the plugin reports nothing under ESLint 10 (why eslint.config.js wraps it)', async () => {
    const eslint = new ESLint({
      cwd: ROOT,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { 'sf-plugin': sfPlugin },
          rules: { 'sf-plugin/flag-summary': 'error', 'sf-plugin/no-h-short-char': 'error', 'sf-plugin/flag-case': 'error' },
        },
      ],
    });
    const [result] = await eslint.lintText(BAD_COMMAND, { filePath: join(ROOT, 'src/commands/bad/command.ts') });
    expect(result.messages.map((m) => m.ruleId)).to.deep.equal([]);
  });
});
