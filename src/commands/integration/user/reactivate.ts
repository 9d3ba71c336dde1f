import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { apiVersionFlag, targetOrgFlag } from '../../../shared/flags.js';
import { reactivateUser, type ReactivateResult } from '../../../shared/lifecycle/deactivate.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.reactivate');

export type IntegrationUserReactivateResult = ReactivateResult;

export default class IntegrationUserReactivate extends SfCommand<IntegrationUserReactivateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    'target-org': targetOrgFlag(),
    'api-version': apiVersionFlag(),
    user: Flags.string({ char: 'u', required: true, summary: messages.getMessage('flags.user.summary') }),
    'allow-non-integration-user': Flags.boolean({ default: false, summary: messages.getMessage('flags.allow-non-integration-user.summary') }),
    'dry-run': Flags.boolean({ default: false, summary: messages.getMessage('flags.dry-run.summary') }),
  };

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
    process.exitCode = result.status === 'failed' ? 1 : 0;
    return result;
  }
}
