import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { apiVersionFlag, targetOrgFlag } from '../../../shared/flags.js';
import { freezeExitCode, freezeUsers, type FreezeResult } from '../../../shared/lifecycle/freeze.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.freeze');

export type IntegrationUserFreezeResult = FreezeResult;

export default class IntegrationUserFreeze extends SfCommand<IntegrationUserFreezeResult> {
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

  public async run(): Promise<IntegrationUserFreezeResult> {
    const { flags } = await this.parse(IntegrationUserFreeze);
    const result = await freezeUsers(flags['target-org'].getConnection(flags['api-version']), {
      usernames: flags.user,
      freeze: true,
      reason: flags.reason,
      dryRun: flags['dry-run'],
      allowNonIntegrationUser: flags['allow-non-integration-user'],
    });
    renderFreeze(this, result);
    process.exitCode = freezeExitCode(result);
    return result;
  }
}

/** Shared by freeze and unfreeze: one row per user, then a line per outcome. */
export function renderFreeze(command: SfCommand<unknown>, result: FreezeResult): void {
  if (command.jsonEnabled()) return;
  const m = Messages.loadMessages('plugin-integration-user', 'integration.user.freeze');
  if (result.dryRun) command.log(m.getMessage('headline.dryRun'));
  command.table({
    data: result.users.map((u) => ({ username: u.username, status: m.getMessage(`status.${u.status}`) + (u.error ? ` (${u.error})` : ''), frozen: String(u.isFrozen) })),
    columns: [
      { key: 'username', name: 'Username' },
      { key: 'status', name: 'Status' },
      { key: 'frozen', name: 'Frozen now' },
    ],
  });
  if (result.reason) command.log(m.getMessage('reason', [result.reason]));
}
