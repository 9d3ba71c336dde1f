import { Messages, SfProject } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { forceFlag, lifecycleFlags } from '../../../shared/flags.js';
import { deactivateExitCode, deactivateUser, type DeactivateResult } from '../../../shared/lifecycle/deactivate.js';
import { lostAnswerWarnings } from '../../../shared/lifecycle/lostAnswer.js';
import { loadSpec } from '../../../shared/spec/load.js';
import { resolveSpec } from '../../../shared/spec/overlay.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.deactivate');

export type IntegrationUserDeactivateResult = DeactivateResult;

export default class IntegrationUserDeactivate extends SfCommand<IntegrationUserDeactivateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...lifecycleFlags(messages, {
      'remove-grants': Flags.boolean({ default: false, summary: messages.getMessage('flags.remove-grants.summary') }),
      force: forceFlag(messages),
    }),
    'spec-file': Flags.file({ char: 'f', exists: true, summary: messages.getMessage('flags.spec-file.summary') }),
    env: Flags.string({ dependsOn: ['spec-file'], summary: messages.getMessage('flags.env.summary') }),
  };

  public async run(): Promise<IntegrationUserDeactivateResult> {
    const { flags } = await this.parse(IntegrationUserDeactivate);
    // The spec is read (and must be valid, --env known) before anything touches the org.
    const spec = flags['spec-file'] ? resolveSpec(await loadSpec(flags['spec-file']), flags.env) : undefined;
    const result = await deactivateUser(flags['target-org'].getConnection(flags['api-version']), {
      username: flags.user,
      force: flags.force,
      removeGrants: flags['remove-grants'],
      dryRun: flags['dry-run'],
      allowNonIntegrationUser: flags['allow-non-integration-user'],
      projectDir: await SfProject.resolveProjectPath().catch(() => undefined),
      ...(spec ? { spec } : {}),
    });
    if (!this.jsonEnabled()) this.render(result);
    for (const w of lostAnswerWarnings(result)) this.warn(w);
    process.exitCode = deactivateExitCode(result);
    return result;
  }

  private render(result: IntegrationUserDeactivateResult): void {
    if (result.dryRun) this.log(messages.getMessage('headline.dryRun'));
    this.log(messages.getMessage(`status.${result.status}`, [result.username]) + (result.error ? ` (${result.error})` : ''));
    if (result.dependencies.length > 0) {
      this.log(messages.getMessage(result.forced ? 'dependencies.forced' : 'dependencies'));
      for (const d of result.dependencies) this.log(`  - ${d.detail}`);
    }
    for (const g of result.grants) this.log(`  ${g.type} ${g.name}: ${g.status}${g.error ? ` (${g.error})` : ''}`);
    for (const s of result.seats) this.log(s);
    for (const n of result.notChecked) this.log(messages.getMessage('notChecked', [n]));
  }
}
