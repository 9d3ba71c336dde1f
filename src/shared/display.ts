/**
 * `integration user display`: one user with every field the plugin reads and every grant (Ids, API names,
 * labels and assignment Ids), in one composite request: the running user's rights, the user with its grants
 * (users.ts, the same read as `list`), and the user's remaining fields.
 */
import { Messages, SfError } from '@salesforce/core';
import type { OrgConnection } from './api.js';
import { INTEGRATION_USER_LICENSE } from './constants.js';
import { toIso } from './list.js';
import { similarUsernames, usernameCandidatesQuery } from './model/names.js';
import { readParts, str, strOrNull, type ReadPart, type Row } from './read.js';
import { needsOf, rightsRead } from './rights.js';
import { inList } from './soql.js';
import { usersRead, type Grant } from './users.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'users');

export type DisplayGrant = {
  /** PermissionSetLicense, PermissionSet or PermissionSetGroup Id. */
  id: string;
  /** DeveloperName (PSL, group) or Name (permission set). */
  name: string;
  label: string;
  /** The PermissionSetLicenseAssign or PermissionSetAssignment Id. */
  assignmentId: string;
};

export type IntegrationUserDisplayResult = {
  /** User Id (18 characters). */
  id: string;
  username: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  alias: string | null;
  email: string;
  active: boolean;
  /** UserLogin.IsFrozen; null (unknown) when the running user cannot read it (it needs Manage Users). */
  frozen: boolean | null;
  /** On the Salesforce Integration user license. */
  integrationLicense: boolean;
  /** On the deprecated "Salesforce API Only System Integrations" profile. */
  legacy: boolean;
  /** Neither on the Salesforce Integration license nor on the legacy profile. */
  notIntegrationUser: boolean;
  profileId: string;
  /** Profile name, or null when the running user cannot see it. */
  profile: string | null;
  /** The profile's user license name, e.g. "Salesforce Integration". */
  userLicense: string | null;
  timeZone: string | null;
  locale: string | null;
  language: string | null;
  emailEncoding: string | null;
  /** ISO 8601 date-times; lastLogin is null when the user never logged in. */
  createdDate: string | null;
  lastLogin: string | null;
  permissionSetLicenses: DisplayGrant[];
  /** Directly assigned permission sets (not the profile's own set, not a group's). */
  permissionSets: DisplayGrant[];
  permissionSetGroups: DisplayGrant[];
};

type UserDetails = Pick<IntegrationUserDisplayResult, 'firstName' | 'lastName' | 'alias' | 'timeZone' | 'locale' | 'language' | 'emailEncoding' | 'createdDate'>;

function detailsRead(username: string): ReadPart<Map<string, UserDetails>> {
  return {
    queries: [
      `SELECT Id, FirstName, LastName, Alias, TimeZoneSidKey, LocaleSidKey, LanguageLocaleKey, EmailEncodingKey, CreatedDate FROM User WHERE Username IN ${inList([username])}`,
    ],
    assemble([rows]): Map<string, UserDetails> {
      return new Map(
        rows.map((row: Row) => [
          str(row, 'Id'),
          {
            firstName: strOrNull(row, 'FirstName'),
            lastName: strOrNull(row, 'LastName'),
            alias: strOrNull(row, 'Alias'),
            timeZone: strOrNull(row, 'TimeZoneSidKey'),
            locale: strOrNull(row, 'LocaleSidKey'),
            language: strOrNull(row, 'LanguageLocaleKey'),
            emailEncoding: strOrNull(row, 'EmailEncodingKey'),
            createdDate: toIso(strOrNull(row, 'CreatedDate')),
          },
        ])
      );
    },
  };
}

const copy = (grants: readonly Grant[]): DisplayGrant[] => grants.map(({ id, name, label, assignmentId }) => ({ id, name, label, assignmentId }));

/** Reads one user by username (case-insensitive, as Salesforce matches it); throws UserNotFound. */
export async function displayIntegrationUser(conn: OrgConnection, username: string): Promise<IntegrationUserDisplayResult> {
  // The same reads as `list` (users and their grants), so the same rights.
  const [, users, details] = await readParts(conn, [
    rightsRead(needsOf('list')),
    usersRead({ kind: 'usernames', usernames: [username] }),
    detailsRead(username),
  ] as const);
  const user = users[0];
  if (!user) {
    // "Did you mean …?": the usernames close to it, read only now.
    const [rows] = await readParts(conn, [{ queries: [usernameCandidatesQuery([username])], assemble: ([r]) => r }] as const).catch((): [Row[]] => [[]]);
    const near = similarUsernames(username, rows.map((r) => strOrNull(r, 'Username')).filter((u): u is string => u !== null));
    const message = near.length > 0 ? messages.getMessage('error.UserNotFoundDidYouMean', [username, near.join(', ')]) : messages.getMessage('error.UserNotFound', [username]);
    throw new SfError(message, 'UserNotFound', messages.getMessages('error.UserNotFound.actions'), 1);
  }
  const more = details.get(user.id);
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    firstName: more?.firstName ?? null,
    lastName: more?.lastName ?? null,
    alias: more?.alias ?? null,
    email: user.email,
    active: user.isActive,
    frozen: user.isFrozen,
    integrationLicense: user.userLicense === INTEGRATION_USER_LICENSE,
    legacy: user.isLegacyProfile,
    notIntegrationUser: !user.isIntegrationLicense && !user.isLegacyProfile,
    profileId: user.profileId,
    profile: user.profileName,
    userLicense: user.userLicense,
    timeZone: more?.timeZone ?? null,
    locale: more?.locale ?? null,
    language: more?.language ?? null,
    emailEncoding: more?.emailEncoding ?? null,
    createdDate: more?.createdDate ?? null,
    lastLogin: toIso(user.lastLoginDate),
    permissionSetLicenses: copy(user.permissionSetLicenses),
    permissionSets: copy(user.permissionSets),
    permissionSetGroups: copy(user.permissionSetGroups),
  };
}
