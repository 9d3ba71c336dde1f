import { Messages } from '@salesforce/core';
import { SfCommand, Flags } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { orgFlags } from '../../../shared/flags.js';
import { listIntegrationUsers, listWarnings, type IntegrationUserListResult } from '../../../shared/list.js';
import { grantsLegend, listTable, outputWidth } from '../../../shared/listTable.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.list');

export type { IntegrationUserListResult, IntegrationUserListItem } from '../../../shared/list.js';

export default class IntegrationUserList extends SfCommand<IntegrationUserListResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...orgFlags(messages.getMessage('flags.target-org.summary')),
    verbose: Flags.boolean({ default: false, summary: messages.getMessage('flags.verbose.summary') }),
  };

  public async run(): Promise<IntegrationUserListResult> {
    const { flags } = await this.parse(IntegrationUserList);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const result = await listIntegrationUsers(conn);

    if (!this.jsonEnabled()) this.render(result, flags.verbose);
    const { integrationUserLicense: license, apiIntegrationPsl: psl } = result.seats;
    for (const warning of listWarnings(result)) {
      const seats = warning === 'integrationSeatsExhausted' ? license : psl;
      // only the exhausted-seat warnings have counts: a token given to a message without %s logs "Unable to render tokens"
      const counted = warning === 'integrationSeatsExhausted' || warning === 'apiIntegrationPslExhausted';
      this.warn(messages.getMessage(`warning.${warning}`, counted ? [seats?.used ?? 0, seats?.total ?? 0] : []));
    }
    return result;
  }

  private render(result: IntegrationUserListResult, verbose: boolean): void {
    if (result.users.length === 0) {
      this.log(messages.getMessage('empty'));
    } else {
      const terminalWidth = outputWidth();
      this.table(listTable(result, { verbose, terminalWidth }));
      if (!verbose) this.log(grantsLegend());
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
