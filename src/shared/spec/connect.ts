/** The org of an environment: --target-org, else the environment's targetOrg, else sf's default org. */
import { Org } from '@salesforce/core';
import type { OrgConnection } from '../api.js';
import { messages } from './load.js';

export type SpecOrg = { conn: OrgConnection; label: string };

export async function connectSpecOrg(aliasOrUsername: string | undefined, apiVersion: string | undefined, what: string): Promise<SpecOrg> {
  let org: Org;
  try {
    org = await Org.create(aliasOrUsername ? { aliasOrUsername } : {});
  } catch (e) {
    if (!aliasOrUsername) throw messages.createError('error.NoTargetOrg', [what]);
    throw e;
  }
  const conn = org.getConnection(apiVersion);
  return { conn, label: aliasOrUsername ?? org.getUsername() ?? '' };
}
