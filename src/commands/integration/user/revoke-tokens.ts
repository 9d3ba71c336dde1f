import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { lifecycleFlags } from '../../../shared/flags.js';
import { readParts } from '../../../shared/read.js';
import { rightsRead } from '../../../shared/rights.js';
import { revokeExitCode, revokeTokens, userTokensRead, type RevokeOutcome } from '../../../shared/lifecycle/tokens.js';
import { lifecycleUsersRead, resolveUsers } from '../../../shared/lifecycle/users.js';
import { lostAnswerWarnings } from '../../../shared/lifecycle/lostAnswer.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.revoke-tokens');

export type IntegrationUserRevokeTokensResult = RevokeOutcome & { username: string; userId: string; app: string | null; dryRun: boolean };

export default class IntegrationUserRevokeTokens extends SfCommand<IntegrationUserRevokeTokensResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = lifecycleFlags(messages, {
    app: Flags.string({ summary: messages.getMessage('flags.app.summary') }),
  });

  public async run(): Promise<IntegrationUserRevokeTokensResult> {
    const { flags } = await this.parse(IntegrationUserRevokeTokens);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const [, users, tokens] = await readParts(conn, [
      rightsRead(['read:OauthToken:others', 'delete:OauthToken']),
      lifecycleUsersRead([flags.user], { withLogin: false }),
      userTokensRead(flags.user),
    ] as const);
    const [user] = await resolveUsers(conn, [flags.user], users, flags['allow-non-integration-user']);
    const outcome = await revokeTokens(conn, tokens, { username: user.username, userId: user.id, app: flags.app, dryRun: flags['dry-run'] });
    const result = { username: user.username, userId: user.id, app: flags.app ?? null, dryRun: flags['dry-run'], ...outcome };
    if (!this.jsonEnabled()) this.render(result);
    for (const w of lostAnswerWarnings(result)) this.warn(w);
    process.exitCode = revokeExitCode(outcome);
    return result;
  }

  private render(result: IntegrationUserRevokeTokensResult): void {
    if (result.dryRun) this.log(messages.getMessage('headline.dryRun'));
    if (result.apps.length === 0) {
      this.log(messages.getMessage('none', [result.username]));
      return;
    }
    this.table({
      data: result.apps.map((a) => ({ app: a.app, before: a.before, revoked: a.revoked, remaining: a.remaining, status: a.status + (a.error ? ` (${a.error})` : '') })),
      columns: [
        { key: 'app', name: 'App' },
        { key: 'before', name: 'Tokens before' },
        { key: 'revoked', name: 'Revoked' },
        { key: 'remaining', name: 'Remaining' },
        { key: 'status', name: 'Status' },
      ],
    });
  }
}
