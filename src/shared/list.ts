/**
 * `integration user list`: the org's integration users (Salesforce Integration license, or the legacy
 * API-only profile) with their grants, and the integration seats. Eight queries (the running user's rights
 * included), read in two composite requests whatever the number of users, plus one request per extra
 * 2000-row page, fetched concurrently (api.ts).
 *
 * Rights (rights.ts, needsOf('list')): reading the users' grants needs View Setup and Configuration or
 * Assign Permission Sets, and the list refuses without them (naming the permission) rather than show users
 * without their grants; the frozen state needs Manage Users, and without it the users are still listed,
 * with `frozen: null` (unknown) and one warning.
 */
import type { OrgConnection } from './api.js';
import { licensesRead, type Seats } from './licenses.js';
import { assertIntegrationReady, orgRead, type OrgInfo } from './org.js';
import { readParts } from './read.js';
import { needsOf, rightsRead } from './rights.js';
import { usersRead, type UserWithGrants } from './users.js';

export type IntegrationUserListItem = {
  /** User Id (18 characters). */
  id: string;
  username: string;
  name: string;
  email: string;
  active: boolean;
  /** UserLogin.IsFrozen; null (unknown) when the running user cannot read it (it needs Manage Users). */
  frozen: boolean | null;
  /** On the deprecated "Salesforce API Only System Integrations" profile: move the user to the Salesforce Integration license. */
  legacy: boolean;
  /** Profile name, or null when the running user cannot see it. */
  profile: string | null;
  /** The profile's user license name, e.g. "Salesforce Integration". */
  userLicense: string | null;
  /** Permission set license DeveloperNames. */
  permissionSetLicenses: string[];
  /** Directly assigned permission set API names (not the profile's own set, not a group's). */
  permissionSets: string[];
  /** Permission set group DeveloperNames. */
  permissionSetGroups: string[];
  /** ISO 8601 date-time of the last login, or null when the user never logged in. */
  lastLogin: string | null;
};

export type IntegrationUserListResult = {
  /** Ordered by username. */
  users: IntegrationUserListItem[];
  seats: {
    /** The Salesforce Integration user license; null when the org has none. */
    integrationUserLicense: Seats | null;
    /** The Salesforce API Integration permission set license; null when the org has none. */
    apiIntegrationPsl: Seats | null;
  };
  org: OrgInfo;
};

/** Reads the org's integration users and seats; throws a clear SfError when the org cannot have any. */
export async function listIntegrationUsers(conn: OrgConnection): Promise<IntegrationUserListResult> {
  const [, org, licenses, users] = await readParts(conn, [
    rightsRead(needsOf('list')),
    orgRead(),
    licensesRead(),
    usersRead({ kind: 'integration' }),
  ] as const);
  assertIntegrationReady(org, licenses);
  return {
    users: users.map(toItem),
    seats: {
      integrationUserLicense: licenses.integrationLicense ? { ...licenses.integrationLicense.seats } : null,
      apiIntegrationPsl: licenses.apiIntegrationPsl ? { ...licenses.apiIntegrationPsl.seats } : null,
    },
    org,
  };
}

export type ListWarning = 'integrationSeatsExhausted' | 'apiIntegrationPslMissing' | 'apiIntegrationPslExhausted' | 'frozenStateUnknown';

/**
 * What the list should warn about: no integration seat left, the API Integration PSL missing or full, or
 * the frozen state unknown (UserLogin unreadable: the running user lacks Manage Users).
 */
export function listWarnings(result: IntegrationUserListResult): ListWarning[] {
  const warnings: ListWarning[] = [];
  const { integrationUserLicense, apiIntegrationPsl } = result.seats;
  if (integrationUserLicense && integrationUserLicense.available === 0) warnings.push('integrationSeatsExhausted');
  if (!apiIntegrationPsl) warnings.push('apiIntegrationPslMissing');
  else if (apiIntegrationPsl.available === 0) warnings.push('apiIntegrationPslExhausted');
  if (result.users.some((u) => u.frozen === null)) warnings.push('frozenStateUnknown');
  return warnings;
}

function toItem(user: UserWithGrants): IntegrationUserListItem {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    email: user.email,
    active: user.isActive,
    frozen: user.isFrozen,
    legacy: user.isLegacyProfile,
    profile: user.profileName,
    userLicense: user.userLicense,
    permissionSetLicenses: user.permissionSetLicenses.map((g) => g.name),
    permissionSets: user.permissionSets.map((g) => g.name),
    permissionSetGroups: user.permissionSetGroups.map((g) => g.name),
    lastLogin: toIso(user.lastLoginDate),
  };
}

/** Salesforce's `2024-05-01T10:00:00.000+0000` → `2024-05-01T10:00:00.000Z`; unparsable values are kept. */
export function toIso(value: string | null): string | null {
  if (!value) return null;
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
