import { Messages } from '@salesforce/core';
import { SfCommand, Flags } from '@salesforce/sf-plugins-core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.list');

export type IntegrationUserListResult = { users: string[] };

export default class IntegrationUserList extends SfCommand<IntegrationUserListResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
  };

  public async run(): Promise<IntegrationUserListResult> {
    const { flags } = await this.parse(IntegrationUserList);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const res = await conn.query<{ Username: string }>('SELECT Username FROM User');
    return { users: res.records.map((r) => r.Username) };
  }
}
