/**
 * Read-only checks against --target-org: the run-as user is an active, API Only integration user, and the
 * pre-authorised permission sets and profiles exist (returned in the org's spelling). All reads share one
 * round trip; every problem is reported at once, with "did you mean" for names the org lacks.
 */
import { Messages, SfError } from '@salesforce/core';
import type { OrgConnection } from '../api.js';
import { readParts, str, type ReadPart } from '../read.js';
import { closeMatches } from '../grants/suggest.js';
import { countOf } from '../model/count.js';
import { inList, quote } from '../soql.js';
import { usersRead, type UserWithGrants } from '../users.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'eca');

export type OrgCheckInput = { runAs?: string; permissionSets: readonly string[]; profiles: readonly string[] };
export type OrgCheckResult = { permissionSets: string[]; profiles: string[]; warnings: string[] };

const none: ReadPart<null> = { queries: [], assemble: () => null };

/** One problem found in the org: its own error name, message and actions. */
type Problem = { name: string; message: string; actions: string[] };

/**
 * Checks everything at once and throws one error listing every problem (a single problem keeps its own
 * error name, e.g. NotIntegrationUserError; several are OrgCheckFailedError). Names the org lacks get
 * "did you mean" suggestions, read in one more round trip only when a name is missing.
 */
export async function checkInOrg(conn: OrgConnection, input: OrgCheckInput): Promise<OrgCheckResult> {
  const { runAs } = input;
  const [users, apiOnly, permissionSets, profiles] = await readParts(conn, [
    runAs ? usersRead({ kind: 'usernames', usernames: [runAs] }) : none,
    runAs ? apiOnlyRead(runAs) : none,
    namesRead('PermissionSet', input.permissionSets, ' AND IsOwnedByProfile = false'),
    namesRead('Profile', input.profiles, ''),
  ] as const);
  const problems: Problem[] = [];
  const user = users?.[0];
  if (runAs) {
    const problem = runAsProblem(runAs, user, apiOnly === true);
    if (problem) problems.push(problem);
  }
  const missingSets = missing(input.permissionSets, permissionSets);
  const missingProfiles = missing(input.profiles, profiles);
  if (missingSets.length > 0 || missingProfiles.length > 0) {
    const [setNames, profileNames] = await readParts(conn, [
      allNamesRead('PermissionSet', missingSets.length > 0, ' WHERE IsOwnedByProfile = false'),
      allNamesRead('Profile', missingProfiles.length > 0, ''),
    ] as const);
    if (missingSets.length > 0) problems.push(unknownNames('UnknownPermissionSets', missingSets, setNames));
    if (missingProfiles.length > 0) problems.push(unknownNames('UnknownProfiles', missingProfiles, profileNames));
  }
  if (problems.length > 0) throw toError(problems);

  const warnings: string[] = [];
  if (user && !isPreAuthorised(user, permissionSets, profiles)) {
    warnings.push(messages.getMessage('warning.RunAsNotPreAuthorised', [user.username]));
  }
  return { permissionSets: inOrgSpelling(input.permissionSets, permissionSets), profiles: inOrgSpelling(input.profiles, profiles), warnings };
}

function problem(key: string, tokens: Array<string | number>): Problem {
  return { name: `${key}Error`, message: messages.getMessage(`error.${key}`, tokens), actions: messages.getMessages(`error.${key}.actions`) };
}

function runAsProblem(runAs: string, user: UserWithGrants | undefined, apiOnly: boolean): Problem | undefined {
  if (!user) return problem('RunAsNotFound', [runAs]);
  if (!user.isActive || user.isFrozen) return problem('RunAsInactive', [user.username]);
  if (!user.isIntegrationLicense && !user.isLegacyProfile) return problem('NotIntegrationUser', [user.username, user.userLicense ?? 'unknown']);
  if (!apiOnly) return problem('NotApiOnly', [user.username]);
  return undefined;
}

/** Every unknown name, each with the org's closest names. */
function unknownNames(key: 'UnknownPermissionSets' | 'UnknownProfiles', names: readonly string[], candidates: readonly string[]): Problem {
  const described = names.map((name) => {
    const close = closeMatches(name, candidates);
    return close.length > 0 ? messages.getMessage('error.didYouMean', [name, close.join(', ')]) : name;
  });
  return problem(key, [described.join(', ')]);
}

function toError(problems: readonly Problem[]): SfError {
  if (problems.length === 1) {
    const [only] = problems;
    return new SfError(only.message, only.name, only.actions, 1);
  }
  const message = messages.getMessage('error.OrgCheckFailed', [countOf(problems.length, 'problem'), problems.map((p) => `- ${p.message}`).join('\n')]);
  return new SfError(message, 'OrgCheckFailedError', [...new Set(problems.flatMap((p) => p.actions))], 1);
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
    assemble: ([rows]) => rows.map((r) => str(r, 'Name')),
  };
}

/** Every name of the object (for suggestions), only when needed. */
function allNamesRead(object: 'PermissionSet' | 'Profile', needed: boolean, where: string): ReadPart<string[]> {
  if (!needed) return { queries: [], assemble: () => [] };
  return { queries: [`SELECT Name FROM ${object}${where}`], assemble: ([rows]) => rows.map((r) => str(r, 'Name')) };
}

/** The requested names the org lacks (case-insensitive). */
function missing(requested: readonly string[], found: readonly string[]): string[] {
  const known = new Set(found.map((n) => n.toLowerCase()));
  return requested.filter((n) => !known.has(n.toLowerCase()));
}

/** The requested names in the org's spelling (all are known by now). */
function inOrgSpelling(requested: readonly string[], found: readonly string[]): string[] {
  const byLower = new Map(found.map((n) => [n.toLowerCase(), n]));
  return requested.map((n) => byLower.get(n.toLowerCase()) ?? n);
}
