import { Messages } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { lifecycleFlags } from '../../../shared/flags.js';
import { reactivateExitCode, reactivateUser, type ReactivateResult } from '../../../shared/lifecycle/deactivate.js';
import { lostAnswerWarnings } from '../../../shared/lifecycle/lostAnswer.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.reactivate');

export type IntegrationUserReactivateResult = ReactivateResult;

export default class IntegrationUserReactivate extends SfCommand<IntegrationUserReactivateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = lifecycleFlags(messages);

  public async run(): Promise<IntegrationUserReactivateResult> {
    const { flags } = await this.parse(IntegrationUserReactivate);
    const result = await reactivateUser(flags['target-org'].getConnection(flags['api-version']), {
      username: flags.user,
      dryRun: flags['dry-run'],
      allowNonIntegrationUser: flags['allow-non-integration-user'],
    });
    if (!this.jsonEnabled()) {
      this.log(messages.getMessage(`status.${result.status}`, [result.username]) + (result.error ? ` (${result.error})` : ''));
      if (result.seats) this.log(messages.getMessage('seats', [result.seats.license, result.seats.used, result.seats.total]));
    }
    for (const w of lostAnswerWarnings(result)) this.warn(w);
    process.exitCode = reactivateExitCode(result);
    return result;
  }
}
