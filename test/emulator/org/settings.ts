/**
 * The Salesforce org's own settings, carried by its OrgModel (salesforce.ts) so that its rules can read them
 * from any Context: PSL auto-assignment and the usernames taken in other orgs.
 */
import type { Context } from '../core/context.js';
import type { OrgModel } from '../core/model.js';

export type SalesforceSettings = {
  /** Assigning a set (or group) whose license is a PSL the user lacks assigns that PSL too (consuming a seat). */
  pslAutoAssign: boolean;
  /** Usernames taken in other orgs (lower case): inserting one fails with DUPLICATE_USERNAME. */
  takenUsernames: Set<string>;
};

export type SalesforceModel = OrgModel & { settings: SalesforceSettings };

/** The settings of the Salesforce model the context runs on. */
export function settingsOf(ctx: Context): SalesforceSettings {
  const { settings } = ctx.model as Partial<SalesforceModel>;
  if (!settings) throw new Error('the emulator runs without the Salesforce org model (salesforce.ts)');
  return settings;
}
