import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { apiVersionFlag, targetOrgFlag } from '../../../shared/flags.js';
import { freezeExitCode, freezeUsers, type FreezeResult } from '../../../shared/lifecycle/freeze.js';
import { renderFreeze } from './freeze.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.unfreeze');

export type IntegrationUserUnfreezeResult = FreezeResult;

export default class IntegrationUserUnfreeze extends SfCommand<IntegrationUserUnfreezeResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    'target-org': targetOrgFlag(),
    'api-version': apiVersionFlag(),
    user: Flags.string({ char: 'u', multiple: true, required: true, summary: messages.getMessage('flags.user.summary') }),
    reason: Flags.string({ summary: messages.getMessage('flags.reason.summary') }),
    'allow-non-integration-user': Flags.boolean({ default: false, summary: messages.getMessage('flags.allow-non-integration-user.summary') }),
    'dry-run': Flags.boolean({ default: false, summary: messages.getMessage('flags.dry-run.summary') }),
  };

  public async run(): Promise<IntegrationUserUnfreezeResult> {
    const { flags } = await this.parse(IntegrationUserUnfreeze);
    const result = await freezeUsers(flags['target-org'].getConnection(flags['api-version']), {
      usernames: flags.user,
      freeze: false,
      reason: flags.reason,
      dryRun: flags['dry-run'],
      allowNonIntegrationUser: flags['allow-non-integration-user'],
    });
    renderFreeze(this, result);
    process.exitCode = freezeExitCode(result);
    return result;
  }
}

