import { Messages } from '@salesforce/core';
import { SfCommand, Flags } from '@salesforce/sf-plugins-core';
import {
  listIntegrationUsers,
  listWarnings,
  type IntegrationUserListItem,
  type IntegrationUserListResult,
} from '../../../shared/list.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.list');

export type { IntegrationUserListResult, IntegrationUserListItem } from '../../../shared/list.js';

export default class IntegrationUserList extends SfCommand<IntegrationUserListResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': Flags.requiredOrg({ summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion({ summary: messages.getMessage('flags.api-version.summary') }),
  };

  public async run(): Promise<IntegrationUserListResult> {
    const { flags } = await this.parse(IntegrationUserList);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const result = await listIntegrationUsers(conn);

    if (!this.jsonEnabled()) this.render(result);
    const { integrationUserLicense: license, apiIntegrationPsl: psl } = result.seats;
    for (const warning of listWarnings(result)) {
      const seats = warning === 'integrationSeatsExhausted' ? license : psl;
      const tokens = warning === 'integrationSeatsExhausted' || warning === 'apiIntegrationPslExhausted' ? [seats?.used ?? 0, seats?.total ?? 0] : [];
      this.warn(messages.getMessage(`warning.${warning}`, tokens));
    }
    return result;
  }

  private render(result: IntegrationUserListResult): void {
    if (result.users.length === 0) {
      this.log(messages.getMessage('empty'));
    } else {
      this.table({
        title: messages.getMessage('table.title', [result.org.name, result.org.edition]),
        data: result.users.map(toRow),
        columns: (
          ['username', 'name', 'active', 'frozen', 'profile', 'permissionSetLicenses', 'permissionSets', 'permissionSetGroups', 'lastLogin'] as const
        ).map((key) => ({ key, name: messages.getMessage(`column.${key}`) })),
      });
    }
    const { integrationUserLicense: license, apiIntegrationPsl: psl } = result.seats;
    this.log(
      license
        ? messages.getMessage('seats.integrationUserLicense', [license.used, license.total, license.available])
        : messages.getMessage('seats.integrationUserLicenseMissing')
    );
    this.log(
      psl
        ? messages.getMessage('seats.apiIntegrationPsl', [psl.used, psl.total, psl.available])
        : messages.getMessage('seats.apiIntegrationPslMissing')
    );
  }
}

type Row = Record<'username' | 'name' | 'active' | 'frozen' | 'profile' | 'permissionSetLicenses' | 'permissionSets' | 'permissionSetGroups' | 'lastLogin', string>;

function toRow(user: IntegrationUserListItem): Row {
  const yesNo = (value: boolean): string => messages.getMessage(value ? 'value.yes' : 'value.no');
  const profile = user.profile ?? '';
  return {
    username: user.username,
    name: user.name,
    active: yesNo(user.active),
    // null: the running user cannot read UserLogin (needs Manage Users), so the frozen state is unknown.
    frozen: user.frozen === null ? messages.getMessage('value.unknown') : yesNo(user.frozen),
    profile: user.legacy ? messages.getMessage('value.legacy', [profile]) : profile,
    permissionSetLicenses: user.permissionSetLicenses.join(', '),
    permissionSets: user.permissionSets.join(', '),
    permissionSetGroups: user.permissionSetGroups.join(', '),
    lastLogin: user.lastLogin ?? messages.getMessage('value.never'),
  };
}
