/** The org's edition and kind, and the check that it can hold integration users at all. */
import { Messages } from '@salesforce/core';
import { UNSUPPORTED_EDITIONS } from './constants.js';
import type { Licenses } from './licenses.js';
import { bool, str, strOrNull, type ReadPart } from './read.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'shared');

export type OrgInfo = {
  id: string;
  name: string;
  /** Organization.OrganizationType, e.g. "Enterprise Edition" */
  edition: string;
  kind: 'production' | 'sandbox' | 'scratch' | 'trial';
};

export function orgRead(): ReadPart<OrgInfo> {
  return {
    queries: ['SELECT Id, Name, OrganizationType, IsSandbox, TrialExpirationDate FROM Organization'],
    assemble([[row]]): OrgInfo {
      const isSandbox = bool(row, 'IsSandbox');
      const trial = strOrNull(row, 'TrialExpirationDate') !== null;
      return {
        // Every org answers with its one Organization record; a missing Id or Name is a broken answer.
        id: str(row, 'Id'),
        name: str(row, 'Name'),
        edition: strOrNull(row, 'OrganizationType') ?? 'unknown edition',
        // @salesforce/core's rule: scratch = sandbox with a trial date.
        kind: isSandbox ? (trial ? 'scratch' : 'sandbox') : trial ? 'trial' : 'production',
      };
    },
  };
}

/**
 * Throws a clear error unless the org can have integration users: an edition that includes the
 * Salesforce Integration license, and that license present and active (the decisive check).
 */
export function assertIntegrationReady(org: OrgInfo, licenses: Licenses): void {
  if ((UNSUPPORTED_EDITIONS as readonly string[]).includes(org.edition)) {
    throw messages.createError('error.UnsupportedEdition', [org.edition]);
  }
  if (licenses.integrationLicense?.status !== 'Active') {
    throw messages.createError('error.NoIntegrationLicense', [org.edition]);
  }
}
