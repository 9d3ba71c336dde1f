/**
 * The users a lifecycle command acts on, read by username in one query each for User and UserLogin,
 * and the checks every lifecycle command makes before writing (found, integration user, all at once).
 */
import { Messages, SfError } from '@salesforce/core';
import { id15 } from '../model/ids.js';
import type { OrgConnection } from '../api.js';
import { similarUsernames, usernameCandidatesQuery } from '../model/names.js';
import { bool, readParts, str, strOrNull, type ReadPart, type Row } from '../read.js';
import { inList } from '../soql.js';
import { decodeUser, USER_FIELDS } from '../users.js';
import { countOf } from '../model/count.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
export const messages = Messages.loadMessages('plugin-integration-user', 'lifecycle');

export type LifecycleUser = {
  id: string;
  username: string;
  name: string;
  isActive: boolean;
  isFrozen: boolean;
  /** The UserLogin row's Id (the record a freeze updates); null when the org has none for the user. */
  loginId: string | null;
  profileId: string;
  profileName: string | null;
  userLicense: string | null;
  userLicenseId: string | null;
  isIntegration: boolean;
};

/** User and UserLogin of the given usernames (case-insensitive, as Salesforce usernames are). */
export function lifecycleUsersRead(usernames: readonly string[], options: { withLogin?: boolean } = {}): ReadPart<LifecycleUser[]> {
  const where = `Username IN ${inList(usernames.map((u) => u.toLowerCase()))}`;
  const withLogin = options.withLogin !== false;
  return {
    queries: [
      `SELECT ${USER_FIELDS}, Profile.UserLicenseId FROM User WHERE ${where} ORDER BY Username`,
      ...(withLogin ? [`SELECT Id, UserId, IsFrozen FROM UserLogin WHERE UserId IN (SELECT Id FROM User WHERE ${where})`] : []),
    ],
    assemble([userRows, loginRows = []]): LifecycleUser[] {
      const logins = new Map(loginRows.map((r) => [id15(str(r, 'UserId')), r]));
      return userRows.map((row) => {
        const user = decodeUser(row);
        const login = logins.get(id15(user.id));
        return {
          id: user.id,
          username: user.username,
          name: user.name,
          isActive: user.isActive,
          isFrozen: bool(login, 'IsFrozen'),
          loginId: login ? str(login, 'Id') : null,
          profileId: user.profileId,
          profileName: user.profileName,
          userLicense: user.userLicense,
          userLicenseId: strOrNull(row, 'Profile.UserLicenseId'),
          isIntegration: user.isIntegrationLicense || user.isLegacyProfile,
        };
      });
    },
  };
}

/**
 * The users in the order asked, or one error listing every unknown and non-integration user with what to do.
 * An unknown username gets "did you mean …?" from one more read, made only then.
 */
export async function resolveUsers(
  conn: OrgConnection,
  usernames: readonly string[],
  users: readonly LifecycleUser[],
  allowNonIntegrationUser: boolean
): Promise<LifecycleUser[]> {
  const known = new Set(users.map((u) => u.username.toLowerCase()));
  const unknown = [...new Set(usernames.map((u) => u.toLowerCase()))].filter((u) => !known.has(u));
  let candidates: string[] = [];
  if (unknown.length > 0) {
    const [rows] = await readParts(conn, [{ queries: [usernameCandidatesQuery(unknown)], assemble: ([r]) => r }] as const).catch((): [Row[]] => [[]]);
    candidates = rows.map((r) => strOrNull(r, 'Username')).filter((u): u is string => u !== null);
  }
  return checkUsers(usernames, users, allowNonIntegrationUser, candidates);
}

/** resolveUsers without a read: `candidates` are the usernames an unknown one is compared with. */
export function checkUsers(usernames: readonly string[], users: readonly LifecycleUser[], allowNonIntegrationUser: boolean, candidates: readonly string[] = []): LifecycleUser[] {
  const byName = new Map(users.map((u) => [u.username.toLowerCase(), u]));
  const problems: string[] = [];
  const actions = new Set<string>();
  const resolved: LifecycleUser[] = [];
  for (const username of [...new Set(usernames.map((u) => u.toLowerCase()))]) {
    const user = byName.get(username);
    if (!user) {
      const near = similarUsernames(username, candidates);
      problems.push(near.length > 0 ? messages.getMessage('problem.notFoundDidYouMean', [username, near.join(', ')]) : messages.getMessage('problem.notFound', [username]));
      actions.add(messages.getMessage('action.notFound'));
    } else if (!user.isIntegration && !allowNonIntegrationUser) {
      problems.push(messages.getMessage('problem.notIntegration', [user.username, user.userLicense ?? '?', user.profileName ?? '?']));
      actions.add(messages.getMessage('action.notIntegration'));
    } else resolved.push(user);
  }
  if (problems.length > 0) {
    throw new SfError(messages.getMessage('error.Validation', [countOf(problems.length, 'problem'), problems.map((p) => `- ${p}`).join('\n')]), 'LifecycleValidationError', [...actions], 1);
  }
  return resolved;
}

/** A short text for a caught error (never a secret: platform messages and our own). */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
