/**
 * Read-only checks against --target-org: the run-as user is an active, API Only integration user, and the
 * pre-authorised permission sets and profiles exist (returned in the org's spelling). All reads share round trips.
 */
import { Messages } from '@salesforce/core';
import type { OrgConnection } from '../api.js';
import { readParts, type ReadPart } from '../read.js';
import { inList, quote } from '../soql.js';
import { usersRead, type UserWithGrants } from '../users.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.generate.app');

export type OrgCheckInput = { runAs?: string; permissionSets: readonly string[]; profiles: readonly string[] };
export type OrgCheckResult = { permissionSets: string[]; profiles: string[]; warnings: string[] };

const none: ReadPart<null> = { queries: [], assemble: () => null };

export async function checkInOrg(conn: OrgConnection, input: OrgCheckInput): Promise<OrgCheckResult> {
  const { runAs } = input;
  const [users, apiOnly, permissionSets, profiles] = await readParts(conn, [
    runAs ? usersRead({ kind: 'usernames', usernames: [runAs] }) : none,
    runAs ? apiOnlyRead(runAs) : none,
    namesRead('PermissionSet', input.permissionSets, ' AND IsOwnedByProfile = false'),
    namesRead('Profile', input.profiles, ''),
  ] as const);
  const warnings: string[] = [];
  if (runAs) {
    const user = users?.[0];
    checkRunAs(runAs, user, apiOnly === true);
    if (user && !isPreAuthorised(user, permissionSets, profiles)) {
      warnings.push(messages.getMessage('warning.RunAsNotPreAuthorised', [user.username]));
    }
  }
  return { permissionSets: inOrg('PermissionSet', input.permissionSets, permissionSets), profiles: inOrg('Profile', input.profiles, profiles), warnings };
}

function checkRunAs(runAs: string, user: UserWithGrants | undefined, apiOnly: boolean): void {
  if (!user) throw messages.createError('error.RunAsNotFound', [runAs]);
  if (!user.isActive || user.isFrozen) throw messages.createError('error.RunAsInactive', [user.username]);
  if (!user.isIntegrationLicense && !user.isLegacyProfile) {
    throw messages.createError('error.NotIntegrationUser', [user.username, user.userLicense ?? 'unknown']);
  }
  if (!apiOnly) throw messages.createError('error.NotApiOnly', [user.username]);
}

/** The run-as user holds a pre-authorised permission set (directly) or profile. */
function isPreAuthorised(user: UserWithGrants, permissionSets: string[], profiles: string[]): boolean {
  const sets = new Set(permissionSets.map((n) => n.toLowerCase()));
  return (
    user.permissionSets.some((g) => sets.has(g.name.toLowerCase())) ||
    profiles.some((p) => p.toLowerCase() === user.profileName?.toLowerCase())
  );
}

/** Whether the user holds API Only through the profile or any assigned set (groups included: their aggregate set is assigned too). */
function apiOnlyRead(username: string): ReadPart<boolean> {
  return {
    queries: [
      `SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = ${quote(username)} AND PermissionSet.PermissionsApiUserOnly = true LIMIT 1`,
    ],
    assemble: ([rows]) => rows.length > 0,
  };
}

function namesRead(object: 'PermissionSet' | 'Profile', names: readonly string[], extra: string): ReadPart<string[]> {
  if (names.length === 0) return { queries: [], assemble: () => [] };
  return {
    queries: [`SELECT Name FROM ${object} WHERE Name IN ${inList(names)}${extra}`],
    assemble: ([rows]) => rows.map((r) => String(r.Name)),
  };
}

/** The requested names in the org's spelling; any name the org lacks is an error listing them all. */
function inOrg(object: 'PermissionSet' | 'Profile', requested: readonly string[], found: readonly string[]): string[] {
  const byLower = new Map(found.map((n) => [n.toLowerCase(), n]));
  const missing = requested.filter((n) => !byLower.has(n.toLowerCase()));
  if (missing.length > 0) {
    throw messages.createError(object === 'PermissionSet' ? 'error.UnknownPermissionSets' : 'error.UnknownProfiles', [missing.join(', ')]);
  }
  return requested.map((n) => byLower.get(n.toLowerCase()) as string);
}
