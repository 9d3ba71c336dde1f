import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { toAppName } from '../../../shared/eca/appName.js';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { dryRunFlag, orgFlags } from '../../../shared/flags.js';
import { createIntegrationUser, SHOWN_USER_FIELDS, type CreateWarning, type IntegrationUserCreateResult } from '../../../shared/grants/create.js';
import { readDefinitionFile } from '../../../shared/grants/definitionFile.js';
import { targetOrgRef } from '../../../shared/grants/orgRef.js';
import type { GrantRow } from '../../../shared/grants/results.js';
import { countOf } from '../../../shared/model/count.js';
import { stopSpinnerWhenDone } from '../../../shared/spinner.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.create');

export type { IntegrationUserCreateResult } from '../../../shared/grants/create.js';

export default class IntegrationUserCreate extends SfCommand<IntegrationUserCreateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...orgFlags(messages.getMessage('flags.target-org.summary')),
    name: Flags.string({ char: 'n', summary: messages.getMessage('flags.name.summary') }),
    username: Flags.string({ char: 'u', summary: messages.getMessage('flags.username.summary') }),
    email: Flags.string({ char: 'e', summary: messages.getMessage('flags.email.summary') }),
    'first-name': Flags.string({ summary: messages.getMessage('flags.first-name.summary') }),
    'last-name': Flags.string({ summary: messages.getMessage('flags.last-name.summary') }),
    alias: Flags.string({ summary: messages.getMessage('flags.alias.summary') }),
    'permission-set': Flags.string({ char: 'p', multiple: true, summary: messages.getMessage('flags.permission-set.summary') }),
    'permission-set-group': Flags.string({ char: 'g', multiple: true, summary: messages.getMessage('flags.permission-set-group.summary') }),
    'permission-set-license': Flags.string({ char: 'l', multiple: true, summary: messages.getMessage('flags.permission-set-license.summary') }),
    'definition-file': Flags.string({ char: 'f', summary: messages.getMessage('flags.definition-file.summary') }),
    'update-fields': Flags.boolean({ default: false, summary: messages.getMessage('flags.update-fields.summary') }),
    'dry-run': dryRunFlag(messages),
  };

  public async run(): Promise<IntegrationUserCreateResult> {
    const { flags } = await this.parse(IntegrationUserCreate);
    const file = flags['definition-file'] ? await readDefinitionFile(flags['definition-file']) : undefined;
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const targetOrg = await targetOrgRef(this.argv, flags['target-org'].getUsername());
    const list = (fromFlag: string[] | undefined, fromFile: string[] | undefined): string[] => [...(fromFile ?? []), ...(fromFlag ?? [])];
    if (!this.jsonEnabled()) this.spinner.start(messages.getMessage(flags['dry-run'] ? 'spinner.plan' : 'spinner.create'));
    const { result, warnings, exitCode } = await stopSpinnerWhenDone(
      this.spinner,
      messages.getMessage('spinner.failed'),
      createIntegrationUser(conn, {
        dryRun: flags['dry-run'],
        updateFields: flags['update-fields'],
        targetOrg,
        user: {
          name: flags.name,
          username: flags.username,
          email: flags.email,
          firstName: flags['first-name'],
          lastName: flags['last-name'],
          alias: flags.alias,
          fileFields: file?.userFields,
        },
        grants: {
          permissionSetLicenses: list(flags['permission-set-license'], file?.grants.permissionSetLicenses),
          permissionSets: list(flags['permission-set'], file?.grants.permissionSets),
          permissionSetGroups: list(flags['permission-set-group'], file?.grants.permissionSetGroups),
        },
      })
    );
    for (const w of warnings) this.warn(warningText(w, flags['dry-run']));
    if (!this.jsonEnabled()) this.render(result, flags.name ?? result.username.split('@')[0]);
    process.exitCode = exitCode;
    return result;
  }

  private render(result: IntegrationUserCreateResult, name: string): void {
    const added = result.grants.filter((g) => g.status === 'added').length;
    const headline = result.interrupted
      ? result.created
        ? 'headline.interruptedCreated'
        : 'headline.interruptedExisting'
      : result.dryRun
      ? 'headline.dryRun'
      : result.created
      ? 'headline.created'
      : added > 0
      ? 'headline.existed'
      : 'headline.existedComplete';
    const id = result.dryRun ? (result.id ? ` (${result.id})` : '') : result.id ?? '';
    const tokens = [result.username, id, result.profile, result.userLicense];
    const counted = countOf(added, headline === 'headline.interruptedCreated' ? 'grant' : 'missingGrant');
    this.log(messages.getMessage(headline, ['headline.created', 'headline.dryRun', 'headline.existedComplete'].includes(headline) ? tokens : [...tokens, counted]));
    const fields = Object.entries(result.userFields ?? {});
    if (fields.length > 0) {
      this.log(messages.getMessage(result.dryRun ? 'heading.userFieldsDryRun' : 'heading.userFields'));
      this.table({
        data: fields.map(([field, value]) => ({
          field: (SHOWN_USER_FIELDS as readonly string[]).includes(field) ? messages.getMessage(`userField.${field}`) : field,
          value: value === null ? '' : String(value),
        })),
        columns: (['field', 'value'] as const).map((key) => ({ key, name: messages.getMessage(`column.${key}`) })),
      });
    }
    if (result.grants.length > 0) {
      if (fields.length > 0 || result.dryRun) this.log(messages.getMessage(result.dryRun ? 'heading.grantsDryRun' : 'heading.grants'));
      this.table({
        data: result.grants.map((g: GrantRow) => ({
          type: messages.getMessage(`type.${g.type}`),
          name: g.name,
          label: g.label,
          status: messages.getMessage(`status.${g.status}`) + (g.neededBy ? ` ${messages.getMessage('status.neededBy', [g.neededBy])}` : ''),
        })),
        columns: (['type', 'name', 'label', 'status'] as const).map((key) => ({ key, name: messages.getMessage(`column.${key}`) })),
      });
    }
    if (!result.dryRun && (result.interrupted?.complete ?? true)) {
      const appName = toAppName(name);
      this.log(messages.getMessage('nextStep', [appName, result.username, result.email]));
    }
  }
}

function warningText(w: CreateWarning, dryRun: boolean): string {
  switch (w.kind) {
    case 'duplicate':
      return messages.getMessage('warning.duplicate', [w.name]);
    case 'fieldDrift':
      return messages.getMessage(dryRun ? 'warning.fieldDriftDryRun' : 'warning.fieldDrift', [
        w.username,
        w.drift.map((d) => messages.getMessage('drift.line', [d.field, String(d.org ?? ''), String(d.requested ?? '')])).join('\n'),
      ]);
    case 'interrupted':
      return messages.getMessage(w.complete ? 'warning.interruptedComplete' : 'warning.interruptedPartial', [w.reason, w.username]);
    default:
      return messages.getMessage(`warning.${w.kind}`, [w.username]);
  }
}
