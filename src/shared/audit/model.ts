/**
 * What the audit's rules read: the org's data, collected once (collect.ts) or built by hand in tests.
 * Grants are kept as Ids into shared maps (no per-user copies of sets or groups).
 */
import type { Licenses } from '../licenses.js';
import { num, str, strOrNull } from '../read.js';
import type { RuleNotEvaluated } from './types.js';
import type { SpecDriftData } from '../spec/drift.js';
import type { UserRecord } from '../users.js';

export type PermissionSetInfo = {
  id: string;
  name: string;
  label: string;
  /** A UserLicense or PermissionSetLicense Id, or null. */
  licenseId: string | null;
  isOwnedByProfile: boolean;
  profileId: string | null;
  /** Set when this is a permission set group's aggregate set. */
  groupId: string | null;
  /** The system permissions it enables (field name without `Permissions`), among those the audit reads. */
  permissions: ReadonlySet<string>;
};

export type GroupInfo = { id: string; name: string; label: string; componentSetIds: string[] };

export type ObjectAccess = { object: string; viewAll: boolean; modifyAll: boolean };

/** One user's successful logins in the window, aggregated as they were read. */
export type LoginSummary = {
  logins: number;
  apiLogins: number;
  uiLogins: number;
  lastLogin: string | null;
  lastUiLogin: string | null;
  /** `Application` of the API (OAuth) logins. */
  apps: Set<string>;
};

/** Why a user is examined as an integration user. */
export type IntegrationReason = 'integrationLicense' | 'legacyProfile' | 'apiUserOnly' | 'oauthOnlyLogins' | 'named';

/** A user the audit examines: its User row's fields (users.ts decodes them), frozen state, why, and its grants. */
export type AuditUser = Pick<
  UserRecord,
  'id' | 'username' | 'isActive' | 'lastLoginDate' | 'createdDate' | 'profileId' | 'profileName' | 'userLicense' | 'isIntegrationLicense' | 'isLegacyProfile'
> & {
  isFrozen: boolean;
  reasons: IntegrationReason[];
  /** Direct grants, by Id: permission set licenses, permission sets (not the profile's), groups. */
  pslIds: string[];
  setIds: string[];
  groupIds: string[];
};

export type EcaPolicyFile = {
  /** Relative to the project directory, with forward slashes. */
  path: string;
  clientCredentialsEnabled: boolean;
  runAsUser: string | null;
};

export type OrgUserSummary = { username: string; isActive: boolean; isIntegrationLicense: boolean; hasApiUserOnly: boolean };

export type AuditData = {
  now: Date;
  loginWindowDays: number;
  licenses: Licenses;
  /** The users examined (integration users and look-alikes, or the named users), by username. */
  users: AuditUser[];
  /** Active human users (not integration-like) holding each permission set or group, by its Id. */
  humanHolders: ReadonlyMap<string, readonly string[]>;
  permissionSets: ReadonlyMap<string, PermissionSetInfo>;
  /** Profile Id → its profile-owned permission set Id. */
  profileSets: ReadonlyMap<string, string>;
  groups: ReadonlyMap<string, GroupInfo>;
  /** Group Id → its aggregate permission set Id (effective permissions after muting). */
  groupAggregateSets: ReadonlyMap<string, string>;
  /** Permission set Id → objects with View All / Modify All records. */
  objectAccess: ReadonlyMap<string, readonly ObjectAccess[]>;
  /** Per user Id; null when LoginHistory could not be read for every user. */
  logins: ReadonlyMap<string, LoginSummary> | null;
  /** OAuth app names per user Id; null when OauthToken could not be read. */
  oauthApps: ReadonlyMap<string, ReadonlySet<string>> | null;
  /** For IU013: the org users named as run-as users, by lower-case username. */
  runAsUsers: ReadonlyMap<string, OrgUserSummary>;
  ecaPolicies: EcaPolicyFile[];
  /** The rules that could not be evaluated (one entry per rule), derived from the reads that failed. */
  notEvaluated: RuleNotEvaluated[];
  /**
   * Rule ids whose check must not run: an input it cannot do without is missing. A rule not evaluated
   * but not skipped (e.g. IU008 with the OauthToken cap reached) still reports what it found.
   */
  skipped: ReadonlySet<string>;
  /** Usernames named by the baseline or configuration that the org does not have. */
  unknownUsernames: string[];
  /** `audit --spec`: the spec's drift (IU014); absent without --spec. */
  spec?: SpecDriftData;
};

export type SourceType = 'Profile' | 'PermissionSet' | 'PermissionSetGroup';

/** A path through which a user holds permissions: the profile, a direct set, or a group. */
export type Source = {
  sourceType: SourceType;
  /** Profile name, set Name or group DeveloperName. */
  name: string;
  /** The set or group Id (the profile's own set for a profile). */
  id: string;
  /** The sets whose permissions count: the profile's set, the set, or the group's aggregate set (or its components). */
  setIds: string[];
  /** For a group: its component sets. */
  componentSetIds: string[];
};

/** Every path through which the user holds permissions. */
export function sourcesOf(user: AuditUser, data: Pick<AuditData, 'permissionSets' | 'profileSets' | 'groups' | 'groupAggregateSets'>): Source[] {
  const sources: Source[] = [];
  const profileSet = data.profileSets.get(user.profileId);
  if (profileSet) {
    sources.push({ sourceType: 'Profile', name: user.profileName ?? user.profileId, id: profileSet, setIds: [profileSet], componentSetIds: [] });
  }
  for (const setId of user.setIds) {
    const set = data.permissionSets.get(setId);
    sources.push({ sourceType: 'PermissionSet', name: set?.name ?? setId, id: setId, setIds: [setId], componentSetIds: [] });
  }
  for (const groupId of user.groupIds) {
    const group = data.groups.get(groupId);
    const components = group?.componentSetIds ?? [];
    const aggregate = data.groupAggregateSets.get(groupId);
    sources.push({
      sourceType: 'PermissionSetGroup',
      name: group?.name ?? groupId,
      id: groupId,
      setIds: aggregate ? [aggregate] : components,
      componentSetIds: components,
    });
  }
  return sources;
}

/** Whether a source grants the permission; for a group, which component sets carry it. */
export function grantsPermission(source: Source, permission: string, sets: ReadonlyMap<string, PermissionSetInfo>): { granted: boolean; via: string[] } {
  const granted = source.setIds.some((id) => sets.get(id)?.permissions.has(permission) === true);
  const via =
    granted && source.sourceType === 'PermissionSetGroup'
      ? source.componentSetIds.filter((id) => sets.get(id)?.permissions.has(permission) === true).map((id) => sets.get(id)?.name ?? id)
      : [];
  return { granted, via };
}

export type LoginKind = 'ui' | 'api' | 'other';

/** UI = LoginType `Application` or LoginSubType `UsernamePasswordUiLogin` / `UiPasswordReset`; API = OAuth subtypes and API login types. */
export function loginKind(loginType: string | null, loginSubType: string | null): LoginKind {
  const type = (loginType ?? '').toLowerCase();
  const sub = (loginSubType ?? '').toLowerCase();
  if (type === 'application' || sub === 'usernamepassworduilogin' || sub === 'uipasswordreset') return 'ui';
  if (sub.startsWith('oauth') || /remote access|apex api|partner product|soap|rest api|bulk api|oauth/.test(type)) return 'api';
  return 'other';
}

/** Application names that don't identify a client. */
const NOT_A_CLIENT = new Set(['', 'n/a', 'browser', 'unknown']);

/** One LoginHistory row, or one group of rows of an aggregate query (`logins` rows, the latest at `LoginTime`). */
export type LoginGroup = {
  UserId?: unknown;
  LoginTime?: unknown;
  LoginType?: unknown;
  LoginSubType?: unknown;
  Application?: unknown;
  Status?: unknown;
  /** How many rows the group counts (1 for a plain row). */
  logins?: unknown;
};

/**
 * Adds a LoginHistory row or group to the user's summary (failed logins are ignored). Folding the groups of
 * `GROUP BY UserId, LoginType, LoginSubType, Application, Status` with their COUNT and MAX(LoginTime) gives
 * the same summary as folding every row.
 */
export function addLogin(summaries: Map<string, LoginSummary>, row: LoginGroup): void {
  if ((strOrNull(row, 'Status') ?? '').toLowerCase() !== 'success') return;
  const count = num(row, 'logins') ?? 1;
  if (count <= 0) return;
  const userId = str(row, 'UserId');
  let summary = summaries.get(userId);
  if (!summary) {
    summary = { logins: 0, apiLogins: 0, uiLogins: 0, lastLogin: null, lastUiLogin: null, apps: new Set() };
    summaries.set(userId, summary);
  }
  const time = strOrNull(row, 'LoginTime');
  const kind = loginKind(strOrNull(row, 'LoginType'), strOrNull(row, 'LoginSubType'));
  summary.logins += count;
  summary.lastLogin = later(summary.lastLogin, time);
  if (kind === 'ui') {
    summary.uiLogins += count;
    summary.lastUiLogin = later(summary.lastUiLogin, time);
  } else if (kind === 'api') {
    summary.apiLogins += count;
    const app = strOrNull(row, 'Application')?.trim() ?? '';
    if (!NOT_A_CLIENT.has(app.toLowerCase())) summary.apps.add(app);
  }
}

/** Client names, de-duplicated case-insensitively, sorted. */
export function distinctNames(names: Iterable<string>): string[] {
  const byKey = new Map<string, string>();
  for (const name of names) {
    const key = name.trim().toLowerCase();
    if (!NOT_A_CLIENT.has(key) && !byKey.has(key)) byKey.set(key, name.trim());
  }
  return [...byKey.values()].sort((a, b) => a.localeCompare(b));
}

/** The later of two ISO date-times (either may be null). */
export function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
