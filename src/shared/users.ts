/**
 * Users with everything granted to them (permission set licenses, permission sets, permission set groups)
 * and their frozen state, read with one query per object type whatever the number of users. Rows the
 * result would throw away are filtered in SOQL: profile-owned permission set assignments (every user has
 * one) and UserLogin rows of users who are not frozen (every user has one; only the frozen few matter).
 * Reading UserLogin needs Manage Users (rights.ts, 'read:UserLogin'): when that query fails the users are
 * still returned, with `isFrozen: null` (unknown) and `frozenUnknown` set on the result.
 */
import type { PlatformError } from './api.js';
import { INTEGRATION_USER_LICENSE, LEGACY_INTEGRATION_PROFILE } from './constants.js';
import { field, type ReadPart, type Row } from './read.js';
import { inList, quote } from './soql.js';

export type Grant = {
  /** PermissionSetLicense, PermissionSet or PermissionSetGroup Id */
  id: string;
  /** DeveloperName (PSL, group) or Name (permission set) */
  name: string;
  label: string;
  /** The PermissionSetLicenseAssign or PermissionSetAssignment Id */
  assignmentId: string;
};

export type UserWithGrants = {
  id: string;
  username: string;
  name: string;
  email: string;
  isActive: boolean;
  /** UserLogin.IsFrozen; null when the running user cannot read UserLogin (it needs Manage Users). */
  isFrozen: boolean | null;
  lastLoginDate: string | null;
  profileId: string;
  profileName: string | null;
  userLicense: string | null;
  /** On the Salesforce Integration user license. */
  isIntegrationLicense: boolean;
  /** On the deprecated "Salesforce API Only System Integrations" profile. */
  isLegacyProfile: boolean;
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
      `SELECT Id, Username, Name, Email, IsActive, LastLoginDate, ProfileId, Profile.Name, Profile.UserLicense.Name FROM User WHERE ${where} ORDER BY Username`,
      `SELECT Id, AssigneeId, PermissionSetLicenseId, PermissionSetLicense.DeveloperName, PermissionSetLicense.MasterLabel FROM PermissionSetLicenseAssign WHERE AssigneeId IN ${assignees}`,
      `SELECT Id, AssigneeId, PermissionSetId, PermissionSet.Name, PermissionSet.Label, PermissionSet.IsOwnedByProfile, PermissionSetGroupId, PermissionSetGroup.DeveloperName, PermissionSetGroup.MasterLabel FROM PermissionSetAssignment WHERE PermissionSet.IsOwnedByProfile = false AND AssigneeId IN ${assignees}`,
      `SELECT UserId FROM UserLogin WHERE IsFrozen = true AND UserId IN ${assignees}`,
    ],
    optional: [3],
    assemble([userRows, pslRows, psaRows, frozenRows], failures): UsersWithGrants {
      const frozenUnknown = failures?.[3];
      const byUser = new Map<string, UserWithGrants>();
      for (const row of userRows) {
        const userLicense = field(row, 'Profile', 'UserLicense', 'Name');
        const profileName = field(row, 'Profile', 'Name');
        byUser.set(String(row.Id), {
          id: String(row.Id),
          username: String(row.Username),
          name: field(row, 'Name') ?? '',
          email: field(row, 'Email') ?? '',
          isActive: row.IsActive === true,
          isFrozen: frozenUnknown ? null : false,
          lastLoginDate: field(row, 'LastLoginDate'),
          profileId: String(row.ProfileId),
          profileName,
          userLicense,
          isIntegrationLicense: userLicense === INTEGRATION_USER_LICENSE,
          isLegacyProfile: profileName === LEGACY_INTEGRATION_PROFILE,
          permissionSetLicenses: [],
          permissionSets: [],
          permissionSetGroups: [],
        });
      }
      for (const row of pslRows) {
        byUser.get(String(row.AssigneeId))?.permissionSetLicenses.push({
          id: String(row.PermissionSetLicenseId),
          name: String(field(row, 'PermissionSetLicense', 'DeveloperName')),
          label: String(field(row, 'PermissionSetLicense', 'MasterLabel')),
          assignmentId: String(row.Id),
        });
      }
      for (const row of psaRows) addAssignment(byUser.get(String(row.AssigneeId)), row);
      for (const row of frozenRows) {
        const user = byUser.get(String(row.UserId));
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

function addAssignment(user: UserWithGrants | undefined, row: Row): void {
  if (!user) return;
  const groupId = field(row, 'PermissionSetGroupId');
  if (groupId) {
    user.permissionSetGroups.push({
      id: groupId,
      name: String(field(row, 'PermissionSetGroup', 'DeveloperName')),
      label: String(field(row, 'PermissionSetGroup', 'MasterLabel')),
      assignmentId: String(row.Id),
    });
  } else if (field<boolean>(row, 'PermissionSet', 'IsOwnedByProfile') !== true) {
    user.permissionSets.push({
      id: String(row.PermissionSetId),
      name: String(field(row, 'PermissionSet', 'Name')),
      label: String(field(row, 'PermissionSet', 'Label')),
      assignmentId: String(row.Id),
    });
  }
}
