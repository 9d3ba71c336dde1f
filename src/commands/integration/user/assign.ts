import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { allowNonIntegrationUserFlag, dryRunFlag, orgFlags } from '../../../shared/flags.js';
import { assignGrants, type AssignWarning, type IntegrationUserAssignResult } from '../../../shared/grants/assign.js';
import { resolveUserAliases, targetOrgRef } from '../../../shared/grants/orgRef.js';
import { stopSpinnerWhenDone } from '../../../shared/spinner.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.assign');

export type { IntegrationUserAssignResult } from '../../../shared/grants/assign.js';

export default class IntegrationUserAssign extends SfCommand<IntegrationUserAssignResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...orgFlags(messages.getMessage('flags.target-org.summary')),
    'on-behalf-of': Flags.string({ char: 'b', multiple: true, required: true, summary: messages.getMessage('flags.on-behalf-of.summary') }),
    'permission-set': Flags.string({ char: 'p', multiple: true, summary: messages.getMessage('flags.permission-set.summary') }),
    'permission-set-group': Flags.string({ char: 'g', multiple: true, summary: messages.getMessage('flags.permission-set-group.summary') }),
    'permission-set-license': Flags.string({ char: 'l', multiple: true, summary: messages.getMessage('flags.permission-set-license.summary') }),
    'allow-non-integration-user': allowNonIntegrationUserFlag(messages),
    'allow-inactive': Flags.boolean({ default: false, summary: messages.getMessage('flags.allow-inactive.summary') }),
    'dry-run': dryRunFlag(messages),
  };

  public async run(): Promise<IntegrationUserAssignResult> {
    const { flags } = await this.parse(IntegrationUserAssign);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const targetOrg = await targetOrgRef(this.argv, flags['target-org'].getUsername());
    const usernames = await resolveUserAliases(flags['on-behalf-of']);
    if (!this.jsonEnabled()) this.spinner.start(messages.getMessage(flags['dry-run'] ? 'spinner.plan' : 'spinner.assign'));
    const { result, warnings, exitCode } = await stopSpinnerWhenDone(
      this.spinner,
      messages.getMessage('spinner.failed'),
      assignGrants(conn, {
        usernames,
        targetOrg,
        allowInactive: flags['allow-inactive'],
        grants: {
          permissionSetLicenses: flags['permission-set-license'] ?? [],
          permissionSets: flags['permission-set'] ?? [],
          permissionSetGroups: flags['permission-set-group'] ?? [],
        },
        dryRun: flags['dry-run'],
        allowNonIntegrationUser: flags['allow-non-integration-user'],
      })
    );
    for (const w of warnings) this.warn(warningText(w));
    if (!this.jsonEnabled()) this.render(result);
    process.exitCode = exitCode;
    return result;
  }

  private render(result: IntegrationUserAssignResult): void {
    if (result.dryRun) this.log(messages.getMessage('headline.dryRun'));
    if (result.interrupted) this.log(messages.getMessage('headline.interrupted', [result.interrupted.reason]));
    this.table({
      data: result.users.flatMap((u) =>
        u.grants.map((g) => ({
          username: u.username,
          type: messages.getMessage(`type.${g.type}`),
          name: g.name,
          status:
            messages.getMessage(`status.${g.status}`) +
            (g.error ? ` (${g.error})` : '') +
            (g.neededBy ? ` ${messages.getMessage('status.neededBy', [g.neededBy])}` : ''),
        }))
      ),
      columns: (['username', 'type', 'name', 'status'] as const).map((key) => ({ key, name: messages.getMessage(`column.${key}`) })),
    });
    for (const u of result.users) this.log(messages.getMessage(`user.${u.status}`, [u.username]));
  }
}

function warningText(w: AssignWarning): string {
  switch (w.kind) {
    case 'duplicate':
      return messages.getMessage('warning.duplicate', [w.name, w.username]);
    case 'inactive':
    case 'frozen':
      return messages.getMessage(`warning.${w.kind}`, [w.username]);
    case 'frozenUnknown':
      return messages.getMessage('warning.frozenUnknown');
    case 'interrupted':
      return messages.getMessage(w.complete ? 'warning.interruptedComplete' : 'warning.interruptedPartial', [w.reason]);
  }
}
