import type { Org } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { usersLifecycleFlags, type FlagMessages } from '../../../shared/flags.js';
import { freezeExitCode, freezeUsers, type FreezeResult } from '../../../shared/lifecycle/freeze.js';
import { lostAnswerWarnings } from '../../../shared/lifecycle/lostAnswer.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.freeze');

export type IntegrationUserFreezeResult = FreezeResult;

export default class IntegrationUserFreeze extends SfCommand<IntegrationUserFreezeResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = freezeFlags(messages);

  public async run(): Promise<IntegrationUserFreezeResult> {
    const { flags } = await this.parse(IntegrationUserFreeze);
    return runFreeze(this, flags, true);
  }
}

/** freeze's and unfreeze's flags (summaries from each command's own messages). */
export function freezeFlags(m: FlagMessages) {
  return usersLifecycleFlags(m, { reason: Flags.string({ summary: m.getMessage('flags.reason.summary') }) });
}

type FreezeFlags = {
  'target-org': Org;
  'api-version'?: string;
  user: string[];
  reason?: string;
  'allow-non-integration-user': boolean;
  'dry-run': boolean;
};

/** The one run of freeze (`freeze` true) and unfreeze (false): freeze or unfreeze the users, render, exit code. */
export async function runFreeze(command: SfCommand<unknown>, flags: FreezeFlags, freeze: boolean): Promise<FreezeResult> {
  const result = await freezeUsers(flags['target-org'].getConnection(flags['api-version']), {
    usernames: flags.user,
    freeze,
    reason: flags.reason,
    dryRun: flags['dry-run'],
    allowNonIntegrationUser: flags['allow-non-integration-user'],
  });
  renderFreeze(command, result);
  for (const w of lostAnswerWarnings(result)) command.warn(w);
  process.exitCode = freezeExitCode(result);
  return result;
}

/** Shared by freeze and unfreeze: one row per user, then a line per outcome. */
function renderFreeze(command: SfCommand<unknown>, result: FreezeResult): void {
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
