import { Messages } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { displayIntegrationUser, type IntegrationUserDisplayResult } from '../../../shared/display.js';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { orgFlags, userFlag } from '../../../shared/flags.js';
import { statusOf } from '../../../shared/listTable.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.display');

export type { IntegrationUserDisplayResult, DisplayGrant } from '../../../shared/display.js';

export default class IntegrationUserDisplay extends SfCommand<IntegrationUserDisplayResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...orgFlags(messages.getMessage('flags.target-org.summary')),
    user: userFlag(messages),
  };

  public async run(): Promise<IntegrationUserDisplayResult> {
    const { flags } = await this.parse(IntegrationUserDisplay);
    const result = await displayIntegrationUser(flags['target-org'].getConnection(flags['api-version']), flags.user);
    if (!this.jsonEnabled()) this.render(result);
    if (result.notIntegrationUser) {
      this.warn(messages.getMessage('warning.notIntegrationUser', [result.username, result.userLicense ?? messages.getMessage('value.unknown')]));
    }
    if (result.frozen === null) this.warn(messages.getMessage('warning.frozenStateUnknown', [result.username]));
    return result;
  }

  private render(user: IntegrationUserDisplayResult): void {
    const unknown = messages.getMessage('value.unknown');
    const profile = user.profile ?? unknown;
    const fields: Array<[string, string]> = [
      ['username', user.username],
      ['id', user.id],
      ['name', user.name],
      ['firstName', user.firstName ?? ''],
      ['lastName', user.lastName ?? ''],
      ['alias', user.alias ?? ''],
      ['email', user.email],
      ['status', statusOf(user)],
      ['profile', user.legacy ? messages.getMessage('value.legacy', [profile]) : profile],
      ['userLicense', user.userLicense ?? unknown],
      ['timeZone', user.timeZone ?? ''],
      ['locale', user.locale ?? ''],
      ['language', user.language ?? ''],
      ['emailEncoding', user.emailEncoding ?? ''],
      ['createdDate', user.createdDate ?? ''],
      ['lastLogin', user.lastLogin ?? messages.getMessage('value.never')],
    ];
    this.table({
      title: messages.getMessage('heading.user'),
      data: fields.map(([key, value]) => ({ field: messages.getMessage(`field.${key}`), value })),
      columns: (['field', 'value'] as const).map((key) => ({ key, name: messages.getMessage(`column.${key}`) })),
    });
    const grants = [
      ...user.permissionSetLicenses.map((g) => ({ kind: 'permissionSetLicense', ...g })),
      ...user.permissionSetGroups.map((g) => ({ kind: 'permissionSetGroup', ...g })),
      ...user.permissionSets.map((g) => ({ kind: 'permissionSet', ...g })),
    ];
    if (grants.length === 0) {
      this.log(messages.getMessage('heading.noGrants'));
      return;
    }
    this.table({
      title: messages.getMessage('heading.grants'),
      data: grants.map((g) => ({ kind: messages.getMessage(`kind.${g.kind}`), name: g.name, label: g.label, id: g.id })),
      columns: (['kind', 'name', 'label', 'id'] as const).map((key) => ({ key, name: messages.getMessage(`column.${key}`) })),
    });
  }
}
