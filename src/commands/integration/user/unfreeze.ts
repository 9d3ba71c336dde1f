import { Messages } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import type { FreezeResult } from '../../../shared/lifecycle/freeze.js';
import { freezeFlags, runFreeze } from './freeze.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.unfreeze');

export type IntegrationUserUnfreezeResult = FreezeResult;

/** The same run as freeze (./freeze.ts runFreeze) with freeze false; its own help and flag summaries. */
export default class IntegrationUserUnfreeze extends SfCommand<IntegrationUserUnfreezeResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = freezeFlags(messages);

  public async run(): Promise<IntegrationUserUnfreezeResult> {
    const { flags } = await this.parse(IntegrationUserUnfreeze);
    return runFreeze(this, flags, false);
  }
}
