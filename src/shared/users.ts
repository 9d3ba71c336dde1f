/**
 * Users with everything granted to them (permission set licenses, permission sets, permission set groups)
 * and their frozen state, read with one query per object type whatever the number of users. Rows the
 * result would throw away are filtered in SOQL: profile-owned permission set assignments (every user has
 * one) and UserLogin rows of users who are not frozen (every user has one; only the frozen few matter).
 * Reading UserLogin needs Manage Users (rights.ts, 'read:UserLogin'): when that query fails the users are
 * still returned, with `isFrozen: null` (unknown) and `frozenUnknown` set on the result.
 *
 * The one home of a User row's and an assignment row's decoding: the query builders and row decoders
 * below serve this read and the audit's (audit/collect.ts), which reads other users with other filters.
 */
import type { PlatformError } from './api.js';
import { INTEGRATION_USER_LICENSE, LEGACY_INTEGRATION_PROFILE } from './constants.js';
import { bool, str, strOrNull, type ReadPart, type Row } from './read.js';
import { inList, quote } from './soql.js';

/** The User fields every user read selects. */
export const USER_FIELDS = 'Id, Username, Name, Email, IsActive, LastLoginDate, CreatedDate, ProfileId, Profile.Name, Profile.UserLicense.Name';

/** A User row, decoded. */
export type UserRecord = {
  id: string;
  username: string;
  name: string;
  email: string;
  isActive: boolean;
  lastLoginDate: string | null;
  /** Null when the query did not select it. */
  createdDate: string | null;
  profileId: string;
  profileName: string | null;
  userLicense: string | null;
  /** On the Salesforce Integration user license. */
  isIntegrationLicense: boolean;
  /** On the deprecated "Salesforce API Only System Integrations" profile. */
  isLegacyProfile: boolean;
};

/** `SELECT USER_FIELDS FROM User WHERE … ORDER BY Username`. */
export function userQuery(where: string): string {
  return `SELECT ${USER_FIELDS} FROM User WHERE ${where} ORDER BY Username`;
}

export function decodeUser(row: Row): UserRecord {
  const userLicense = strOrNull(row, 'Profile.UserLicense.Name');
  const profileName = strOrNull(row, 'Profile.Name');
  return {
    id: str(row, 'Id'),
    username: str(row, 'Username'),
    name: strOrNull(row, 'Name') ?? '',
    email: strOrNull(row, 'Email') ?? '',
    isActive: bool(row, 'IsActive'),
    lastLoginDate: strOrNull(row, 'LastLoginDate'),
    createdDate: strOrNull(row, 'CreatedDate'),
    profileId: str(row, 'ProfileId'),
    profileName,
    userLicense,
    isIntegrationLicense: userLicense === INTEGRATION_USER_LICENSE,
    isLegacyProfile: profileName === LEGACY_INTEGRATION_PROFILE,
  };
}

/**
 * Permission set and group assignments matching `where`, without the profiles' own sets (each user's comes
 * from its ProfileId; a group's assignment carries the group and its aggregate set, which no profile owns).
 * `names`: also the set's or group's name and label (for display; the audit takes them from its set reads).
 */
export function setAssignmentQuery(where: string, options: { names: boolean }): string {
  const names = options.names ? ', PermissionSet.Name, PermissionSet.Label, PermissionSetGroup.DeveloperName, PermissionSetGroup.MasterLabel' : '';
  return `SELECT Id, AssigneeId, PermissionSetId, PermissionSetGroupId${names} FROM PermissionSetAssignment WHERE PermissionSet.IsOwnedByProfile = false${
    where ? ` AND ${where}` : ''
  }`;
}

/** A PermissionSetAssignment row: a direct set or a group (never the profile's own set, see setAssignmentQuery). */
export type SetAssignment = {
  assignmentId: string;
  assigneeId: string;
  kind: 'set' | 'group';
  /** The set's Id, or the group's (not its aggregate set's). */
  grantId: string;
  /** Name (set) or DeveloperName (group); null when not selected. */
  name: string | null;
  label: string | null;
};

export function decodeSetAssignment(row: Row): SetAssignment {
  const groupId = strOrNull(row, 'PermissionSetGroupId');
  return {
    assignmentId: str(row, 'Id'),
    assigneeId: str(row, 'AssigneeId'),
    kind: groupId ? 'group' : 'set',
    grantId: groupId ?? str(row, 'PermissionSetId'),
    name: groupId ? strOrNull(row, 'PermissionSetGroup.DeveloperName') : strOrNull(row, 'PermissionSet.Name'),
    label: groupId ? strOrNull(row, 'PermissionSetGroup.MasterLabel') : strOrNull(row, 'PermissionSet.Label'),
  };
}

/** Permission set license assignments matching `where` (every one without); `names`: the license's too. */
export function licenseAssignmentQuery(where: string, options: { names: boolean }): string {
  const names = options.names ? ', PermissionSetLicense.DeveloperName, PermissionSetLicense.MasterLabel' : '';
  return `SELECT Id, AssigneeId, PermissionSetLicenseId${names} FROM PermissionSetLicenseAssign${where ? ` WHERE ${where}` : ''}`;
}

export type LicenseAssignment = { assignmentId: string; assigneeId: string; licenseId: string; name: string | null; label: string | null };

export function decodeLicenseAssignment(row: Row): LicenseAssignment {
  return {
    assignmentId: str(row, 'Id'),
    assigneeId: str(row, 'AssigneeId'),
    licenseId: str(row, 'PermissionSetLicenseId'),
    name: strOrNull(row, 'PermissionSetLicense.DeveloperName'),
    label: strOrNull(row, 'PermissionSetLicense.MasterLabel'),
  };
}

export type Grant = {
  /** PermissionSetLicense, PermissionSet or PermissionSetGroup Id */
  id: string;
  /** DeveloperName (PSL, group) or Name (permission set) */
  name: string;
  label: string;
  /** The PermissionSetLicenseAssign or PermissionSetAssignment Id */
  assignmentId: string;
};

export type UserWithGrants = Omit<UserRecord, 'createdDate'> & {
  /** UserLogin.IsFrozen; null when the running user cannot read UserLogin (it needs Manage Users). */
  isFrozen: boolean | null;
  permissionSetLicenses: Grant[];
  /** Directly assigned sets: neither the profile's own set nor a group's aggregate set. */
  permissionSets: Grant[];
  permissionSetGroups: Grant[];
};

export type UserFilter =
  /** Users on the Salesforce Integration license or on the legacy API-only profile. */
  | { kind: 'integration' }
  /** Users by username (case-insensitive). */
  | { kind: 'usernames'; usernames: readonly string[] };

export const INTEGRATION_USERS_WHERE = `(Profile.UserLicense.Name = ${quote(INTEGRATION_USER_LICENSE)} OR Profile.Name = ${quote(
  LEGACY_INTEGRATION_PROFILE
)})`;

export function userWhere(filter: UserFilter): string {
  return filter.kind === 'integration' ? INTEGRATION_USERS_WHERE : `Username IN ${inList(filter.usernames)}`;
}

/** The users plus, when the frozen state could not be read, the platform's reason. */
export type UsersWithGrants = UserWithGrants[] & { frozenUnknown?: PlatformError };

/** The users matching the filter, with their grants; ordered by username. */
export function usersRead(filter: UserFilter): ReadPart<UsersWithGrants> {
  const where = userWhere(filter);
  const assignees = `(SELECT Id FROM User WHERE ${where})`;
  return {
    queries: [
      userQuery(where),
      licenseAssignmentQuery(`AssigneeId IN ${assignees}`, { names: true }),
      setAssignmentQuery(`AssigneeId IN ${assignees}`, { names: true }),
      `SELECT UserId FROM UserLogin WHERE IsFrozen = true AND UserId IN ${assignees}`,
    ],
    optional: [3],
    assemble([userRows, pslRows, psaRows, frozenRows], failures): UsersWithGrants {
      const frozenUnknown = failures?.[3];
      const byUser = new Map<string, UserWithGrants>();
      for (const row of userRows) {
        const { createdDate: _createdDate, ...user } = decodeUser(row);
        byUser.set(user.id, { ...user, isFrozen: frozenUnknown ? null : false, permissionSetLicenses: [], permissionSets: [], permissionSetGroups: [] });
      }
      for (const row of pslRows) {
        const a = decodeLicenseAssignment(row);
        byUser.get(a.assigneeId)?.permissionSetLicenses.push({ id: a.licenseId, name: a.name ?? a.licenseId, label: a.label ?? a.licenseId, assignmentId: a.assignmentId });
      }
      for (const row of psaRows) {
        const a = decodeSetAssignment(row);
        const grant: Grant = { id: a.grantId, name: a.name ?? a.grantId, label: a.label ?? a.grantId, assignmentId: a.assignmentId };
        byUser.get(a.assigneeId)?.[a.kind === 'group' ? 'permissionSetGroups' : 'permissionSets'].push(grant);
      }
      for (const row of frozenRows) {
        const user = byUser.get(str(row, 'UserId'));
        if (user) user.isFrozen = true;
      }
      for (const user of byUser.values()) {
        for (const list of [user.permissionSetLicenses, user.permissionSets, user.permissionSetGroups]) {
          list.sort((a, b) => a.name.localeCompare(b.name));
        }
      }
      const users: UsersWithGrants = [...byUser.values()];
      if (frozenUnknown) users.frozenUnknown = frozenUnknown;
      return users;
    },
  };
}
