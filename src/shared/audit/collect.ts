/**
 * The audit's reads: one round of ten queries (two composite requests) over the whole org, then one round
 * for the OAuth tokens of the examined users — a constant number of requests whatever the number of users,
 * plus one per extra page. Rows are folded into compact structures page by page (LoginHistory is
 * aggregated per user as it arrives); a read that fails or is cut makes the rules it feeds "not evaluated".
 */
import { Messages } from '@salesforce/core';
import { platformErrorToSfError, streamQueries, type OrgConnection, type PlatformError, type StreamOutcome } from '../api.js';
import { licensesRead, type Licenses } from '../licenses.js';
import { field, type Row } from '../read.js';
import { chunk, inList } from '../soql.js';
import { INTEGRATION_USERS_WHERE } from '../users.js';
import { INTEGRATION_USER_LICENSE, LEGACY_INTEGRATION_PROFILE } from '../constants.js';
import { readEcaPolicyFiles } from './ecaPolicies.js';
import {
  addLogin,
  type AuditData,
  type AuditUser,
  type EcaPolicyFile,
  type GroupInfo,
  type LoginSummary,
  type ObjectAccess,
  type OrgUserSummary,
  type PermissionSetInfo,
} from './model.js';
import { HIGH_RISK_PERMISSIONS } from './rules.js';
import type { RuleNotEvaluated } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit.rules');

/** Salesforce returns at most this many OauthToken rows per query (salesforce-facts.md §8.4). */
export const OAUTH_TOKEN_ROW_CAP = 2500;
/** User Ids per OauthToken query: well under the cap even at several tokens per user. */
export const OAUTH_TOKEN_USERS_PER_QUERY = 300;
/** LoginHistory is read for at least this many days (IU003's OAuth-only signal, IU008, IU009). */
export const MIN_LOGIN_WINDOW_DAYS = 90;

/** System permissions read from PermissionSet: IU004's table, API Only User, and the running user's read rights. */
export const PERMISSION_FIELDS: readonly string[] = [...Object.keys(HIGH_RISK_PERMISSIONS), 'ApiUserOnly', 'MonitorLoginHistory'];

const LOGIN_HISTORY_PERMISSION = 'ManageUsers or MonitorLoginHistory';
const OAUTH_TOKEN_PERMISSION = 'CustomizeApplication';

export type CollectOptions = { usernames?: string[]; dormantDays: number; projectDir?: string; now: Date };

export function permissionSetQuery(permissionFields: readonly string[]): string {
  const perms = permissionFields.map((f) => `, Permissions${f}`).join('');
  return `SELECT Id, Name, Label, LicenseId, IsOwnedByProfile, ProfileId, PermissionSetGroupId${perms} FROM PermissionSet`;
}

/** The permission fields an INVALID_FIELD error names (from `fields` or the message). */
export function invalidPermissionFields(error: PlatformError, asked: readonly string[]): string[] {
  const text = [...(error.fields ?? []), error.message].join(' ').toLowerCase();
  return asked.filter((f) => new RegExp(`\\bpermissions${f.toLowerCase()}\\b`).test(text));
}

type UserRow = {
  id: string;
  username: string;
  isActive: boolean;
  lastLoginDate: string | null;
  createdDate: string | null;
  profileId: string;
  profileName: string | null;
  userLicense: string | null;
  pslIds: string[];
  setIds: string[];
  groupIds: string[];
  isFrozen: boolean;
};

/** Reads everything the rules need. */
export async function collectAuditData(conn: OrgConnection, options: CollectOptions): Promise<AuditData> {
  const now = options.now;
  const loginWindowDays = Math.max(options.dormantDays, MIN_LOGIN_WINDOW_DAYS);
  const named = options.usernames && options.usernames.length > 0 ? options.usernames : undefined;
  const ecaPolicies: EcaPolicyFile[] = options.projectDir ? await readEcaPolicyFiles(options.projectDir) : [];
  const runAsNames = [...new Set(ecaPolicies.flatMap((f) => (f.runAsUser ? [f.runAsUser] : [])))];
  const notEvaluated: RuleNotEvaluated[] = [];
  const failed = (ruleIds: string[], error: PlatformError, requiredPermission: string): void => {
    const reason =
      error.errorCode === 'INVALID_FIELD'
        ? messages.getMessage('notEvaluated.fieldMissing', [error.fields?.join(', ') ?? '', error.message])
        : messages.getMessage('notEvaluated.queryFailed', [error.errorCode, error.message]);
    for (const ruleId of ruleIds) notEvaluated.push({ ruleId, reason, requiredPermission });
  };

  // ---- Round 1: the whole org's grants, users, logins --------------------------------------------------
  const licenseRows: Row[][] = [[], []];
  const permissionSets = new Map<string, PermissionSetInfo>();
  const profileSets = new Map<string, string>();
  const groupAggregateSets = new Map<string, string>();
  const groups = new Map<string, GroupInfo>();
  const objectAccess = new Map<string, ObjectAccess[]>();
  const users = new Map<string, UserRow>();
  const frozen = new Set<string>();
  const logins = new Map<string, LoginSummary>();
  const pslAssignments: Array<[string, string]> = [];
  const setAssignments: Array<[string, string, boolean]> = [];

  const group = (id: string, row: Row | null, prefix: string): GroupInfo => {
    let info = groups.get(id);
    if (!info) {
      info = { id, name: field(row, prefix, 'DeveloperName') ?? id, label: field(row, prefix, 'MasterLabel') ?? id, componentSetIds: [] };
      groups.set(id, info);
    }
    return info;
  };
  const addPermissionSets = (rows: Row[], fields: readonly string[]): void => {
    for (const row of rows) {
      const id = String(row.Id);
      const permissions = new Set(fields.filter((f) => row[`Permissions${f}`] === true));
      const info: PermissionSetInfo = {
        id,
        name: field(row, 'Name') ?? id,
        label: field(row, 'Label') ?? field(row, 'Name') ?? id,
        licenseId: field(row, 'LicenseId'),
        isOwnedByProfile: row.IsOwnedByProfile === true,
        profileId: field(row, 'ProfileId'),
        groupId: field(row, 'PermissionSetGroupId'),
        permissions,
      };
      permissionSets.set(id, info);
      if (info.isOwnedByProfile && info.profileId) profileSets.set(info.profileId, id);
      if (info.groupId) groupAggregateSets.set(info.groupId, id);
    }
  };

  const userWhere = [
    'IsActive = true',
    INTEGRATION_USERS_WHERE,
    ...(named ? [`Username IN ${inList(named)}`] : []),
    ...(runAsNames.length > 0 ? [`Username IN ${inList(runAsNames)}`] : []),
  ].join(' OR ');
  const since = new Date(now.getTime() - loginWindowDays * 24 * 60 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const loginScope = named ? ` AND UserId IN (SELECT Id FROM User WHERE Username IN ${inList(named)})` : '';

  const round1: Array<{ soql: string; onRows: (rows: Row[]) => void }> = [
    ...licensesRead().queries.map((soql, i) => ({ soql, onRows: (rows: Row[]): void => void licenseRows[i].push(...rows) })),
    { soql: permissionSetQuery(PERMISSION_FIELDS), onRows: (rows) => addPermissionSets(rows, PERMISSION_FIELDS) },
    {
      soql: 'SELECT PermissionSetGroupId, PermissionSetGroup.DeveloperName, PermissionSetGroup.MasterLabel, PermissionSetId FROM PermissionSetGroupComponent',
      onRows: (rows) => {
        for (const row of rows) group(String(row.PermissionSetGroupId), row, 'PermissionSetGroup').componentSetIds.push(String(row.PermissionSetId));
      },
    },
    {
      soql: 'SELECT Id, ParentId, SobjectType, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE PermissionsViewAllRecords = true OR PermissionsModifyAllRecords = true',
      onRows: (rows) => {
        for (const row of rows) {
          // Rows with Ids starting 000 are implied by View/Modify All Data, which IU004 reports.
          if (String(row.Id).startsWith('000')) continue;
          const parentId = String(row.ParentId);
          const list = objectAccess.get(parentId) ?? [];
          list.push({ object: String(row.SobjectType), viewAll: row.PermissionsViewAllRecords === true, modifyAll: row.PermissionsModifyAllRecords === true });
          objectAccess.set(parentId, list);
        }
      },
    },
    {
      soql: `SELECT Id, Username, IsActive, LastLoginDate, CreatedDate, ProfileId, Profile.Name, Profile.UserLicense.Name FROM User WHERE ${userWhere} ORDER BY Username`,
      onRows: (rows) => {
        for (const row of rows) {
          users.set(String(row.Id), {
            id: String(row.Id),
            username: String(row.Username),
            isActive: row.IsActive === true,
            lastLoginDate: field(row, 'LastLoginDate'),
            createdDate: field(row, 'CreatedDate'),
            profileId: String(row.ProfileId),
            profileName: field(row, 'Profile', 'Name'),
            userLicense: field(row, 'Profile', 'UserLicense', 'Name'),
            pslIds: [],
            setIds: [],
            groupIds: [],
            isFrozen: false,
          });
        }
      },
    },
    {
      soql: 'SELECT AssigneeId, PermissionSetId, PermissionSetGroupId, PermissionSetGroup.DeveloperName, PermissionSetGroup.MasterLabel FROM PermissionSetAssignment WHERE PermissionSetGroupId != null OR PermissionSet.IsOwnedByProfile = false',
      onRows: (rows) => {
        for (const row of rows) {
          const groupId = field(row, 'PermissionSetGroupId');
          if (groupId) group(groupId, row, 'PermissionSetGroup');
          setAssignments.push([String(row.AssigneeId), groupId ?? String(row.PermissionSetId), groupId !== null]);
        }
      },
    },
    {
      soql: 'SELECT AssigneeId, PermissionSetLicenseId FROM PermissionSetLicenseAssign',
      onRows: (rows) => {
        for (const row of rows) pslAssignments.push([String(row.AssigneeId), String(row.PermissionSetLicenseId)]);
      },
    },
    {
      soql: 'SELECT UserId FROM UserLogin WHERE IsFrozen = true',
      onRows: (rows) => {
        for (const row of rows) frozen.add(String(row.UserId));
      },
    },
    {
      soql: `SELECT UserId, LoginTime, LoginType, LoginSubType, Application, Status FROM LoginHistory WHERE LoginTime >= ${since}${loginScope}`,
      onRows: (rows) => {
        for (const row of rows) addLogin(logins, row);
      },
    },
  ];
  const [ulOut, pslOut, psOut, psgcOut, objOut, userOut, psaOut, pslaOut, frozenOut, loginOut] = await streamQueries<Row>(
    conn,
    round1.map((q) => q.soql),
    (index, rows) => round1[index].onRows(rows)
  );
  for (const outcome of [userOut, psaOut]) {
    if (!outcome.ok) throw platformErrorToSfError(conn, outcome.error);
  }
  for (const outcome of [ulOut, pslOut]) if (!outcome.ok) failed(['IU001', 'IU006', 'IU007', 'IU012'], outcome.error, 'ViewSetup');
  const licenses: Licenses = licensesRead().assemble(licenseRows);
  if (!psgcOut.ok) failed(['IU004', 'IU005', 'IU006'], psgcOut.error, 'ViewSetup');
  if (!objOut.ok) failed(['IU005'], objOut.error, 'ViewSetup');
  if (!pslaOut.ok) failed(['IU001', 'IU006', 'IU011'], pslaOut.error, 'ViewSetup');
  if (!frozenOut.ok) failed(['IU010', 'IU011'], frozenOut.error, 'ManageUsers');

  for (const [assigneeId, pslId] of pslAssignments) users.get(assigneeId)?.pslIds.push(pslId);
  for (const [assigneeId, grantId, isGroup] of setAssignments) {
    const user = users.get(assigneeId);
    if (user) (isGroup ? user.groupIds : user.setIds).push(grantId);
  }
  pslAssignments.length = 0;
  setAssignments.length = 0;
  for (const id of frozen) {
    const user = users.get(id);
    if (user) user.isFrozen = true;
  }

  // ---- Round 2: OAuth tokens of the examined users (and the permission sets again without missing fields) ----
  let permissionFieldsRead: readonly string[] = PERMISSION_FIELDS;
  const retryPermissionSets = !psOut.ok && psOut.error.errorCode === 'INVALID_FIELD' ? invalidPermissionFields(psOut.error, PERMISSION_FIELDS) : [];
  if (retryPermissionSets.length > 0) permissionFieldsRead = PERMISSION_FIELDS.filter((f) => !retryPermissionSets.includes(f));

  // The running user's rights decide whether LoginHistory and OauthToken show every user's rows.
  // Without the permission sets it can't be known: assume the worst.
  const runningUsername = (conn.getUsername() ?? '').toLowerCase();
  const runningUser = [...users.values()].find((u) => u.username.toLowerCase() === runningUsername);

  const sets: SetMaps = { permissionSets, profileSets, groupAggregateSets, groups };

  // A first classification tells which users' tokens to read (a superset: every login counts); it is redone
  // once the permission sets are complete and the running user's rights are known.
  const firstPass = classify(users, sets, logins, { named, loginsUsable: loginOut.ok });
  const tokenUserIds = firstPass.filter((u) => u.isActive).map((u) => u.id);
  const round2: Array<{ soql: string; onRows: (rows: Row[]) => void }> = [];
  if (retryPermissionSets.length > 0) {
    round2.push({ soql: permissionSetQuery(permissionFieldsRead), onRows: (rows) => addPermissionSets(rows, permissionFieldsRead) });
  }
  const oauthApps = new Map<string, Set<string>>();
  const tokenChunks = chunk(tokenUserIds, OAUTH_TOKEN_USERS_PER_QUERY);
  for (const ids of tokenChunks) {
    round2.push({
      soql: `SELECT UserId, AppName FROM OauthToken WHERE UserId IN ${inList(ids)}`,
      onRows: (rows) => {
        for (const row of rows) {
          const userId = String(row.UserId);
          const apps = oauthApps.get(userId) ?? new Set<string>();
          if (typeof row.AppName === 'string') apps.add(row.AppName);
          oauthApps.set(userId, apps);
        }
      },
    });
  }
  const round2Out: StreamOutcome[] =
    round2.length > 0 ? await streamQueries<Row>(conn, round2.map((q) => q.soql), (index, rows) => round2[index].onRows(rows)) : [];
  const psFinal = retryPermissionSets.length > 0 ? round2Out[0] : psOut;
  const tokenOut = retryPermissionSets.length > 0 ? round2Out.slice(1) : round2Out;

  const permissionsRead = psFinal.ok;
  if (!psFinal.ok) {
    failed(['IU003', 'IU004', 'IU005', 'IU006', 'IU007', 'IU013'], psFinal.error, 'ViewSetup');
  } else if (retryPermissionSets.length > 0 && !psOut.ok) {
    for (const missing of retryPermissionSets) {
      const rules = missing === 'ApiUserOnly' ? ['IU003', 'IU013'] : missing === 'MonitorLoginHistory' ? [] : ['IU004'];
      for (const ruleId of rules) {
        notEvaluated.push({
          ruleId,
          reason: messages.getMessage('notEvaluated.fieldMissing', [`Permissions${missing}`, psOut.error.message]),
          requiredPermission: 'ViewSetup',
        });
      }
    }
  }

  const running = runningUser && permissionsRead ? effectivePermissions(runningUser, sets) : new Set<string>();
  const canReadLogins = running.has('ManageUsers') || running.has('MonitorLoginHistory');
  const canReadTokens = running.has('CustomizeApplication');

  let loginsUsable = loginOut.ok && canReadLogins;
  if (!loginOut.ok) {
    failed(['IU003', 'IU008', 'IU009'], loginOut.error, LOGIN_HISTORY_PERMISSION);
  } else if (!canReadLogins) {
    loginsUsable = false;
    for (const ruleId of ['IU003', 'IU008', 'IU009']) {
      notEvaluated.push({ ruleId, reason: messages.getMessage('notEvaluated.loginHistoryRestricted'), requiredPermission: LOGIN_HISTORY_PERMISSION });
    }
  }
  const tokenFailure = tokenOut.find((o): o is PlatformFailure => !o.ok);
  let tokensUsable = tokenFailure === undefined && canReadTokens;
  if (tokenFailure) {
    failed(['IU008'], tokenFailure.error, OAUTH_TOKEN_PERMISSION);
  } else if (!canReadTokens) {
    tokensUsable = false;
    notEvaluated.push({ ruleId: 'IU008', reason: messages.getMessage('notEvaluated.oauthTokenRestricted'), requiredPermission: OAUTH_TOKEN_PERMISSION });
  } else if (tokenOut.some((o) => o.ok && o.rowCount >= OAUTH_TOKEN_ROW_CAP)) {
    notEvaluated.push({
      ruleId: 'IU008',
      reason: messages.getMessage('notEvaluated.oauthTokenCapped', [OAUTH_TOKEN_ROW_CAP]),
      requiredPermission: OAUTH_TOKEN_PERMISSION,
    });
  }

  const examined = classify(users, sets, logins, { named, loginsUsable });
  const isIntegrationLike = named ? new Set(classify(users, sets, logins, { named: undefined, loginsUsable }).map((u) => u.id)) : new Set(examined.map((u) => u.id));

  return {
    now,
    loginWindowDays,
    licenses,
    users: examined,
    humanHolders: humanHolders(users, isIntegrationLike, examined),
    permissionSets,
    profileSets,
    groups,
    groupAggregateSets,
    objectAccess,
    logins: loginsUsable ? logins : null,
    oauthApps: tokensUsable ? oauthApps : null,
    runAsUsers: runAsSummaries(users, runAsNames, sets),
    ecaPolicies,
    permissionsRead,
    notEvaluated,
  };
}

type PlatformFailure = { ok: false; error: PlatformError };
type SetMaps = Pick<AuditData, 'permissionSets' | 'profileSets' | 'groupAggregateSets' | 'groups'>;

/** The system permissions (among those read) a user holds through its profile, sets and groups. */
export function effectivePermissions(user: Pick<UserRow, 'profileId' | 'setIds' | 'groupIds'>, maps: SetMaps): Set<string> {
  const setIds = [maps.profileSets.get(user.profileId), ...user.setIds];
  for (const groupId of user.groupIds) {
    const aggregate = maps.groupAggregateSets.get(groupId);
    setIds.push(...(aggregate ? [aggregate] : maps.groups.get(groupId)?.componentSetIds ?? []));
  }
  const permissions = new Set<string>();
  for (const id of setIds) for (const p of (id ? maps.permissionSets.get(id)?.permissions : undefined) ?? []) permissions.add(p);
  return permissions;
}

/**
 * The users to examine: with `named`, those users; otherwise users on the Salesforce Integration license or
 * the legacy profile, plus active users holding API Only User, plus active users whose successful logins in
 * the window are all API (OAuth) logins.
 */
export function classify(
  users: ReadonlyMap<string, UserRow>,
  maps: SetMaps,
  logins: ReadonlyMap<string, LoginSummary>,
  options: { named: readonly string[] | undefined; loginsUsable: boolean }
): AuditUser[] {
  const wanted = options.named ? new Set(options.named.map((n) => n.toLowerCase())) : undefined;
  const result: AuditUser[] = [];
  for (const user of users.values()) {
    if (wanted && !wanted.has(user.username.toLowerCase())) continue;
    const isIntegrationLicense = user.userLicense === INTEGRATION_USER_LICENSE;
    const isLegacyProfile = user.profileName === LEGACY_INTEGRATION_PROFILE;
    const reasons: AuditUser['reasons'] = [];
    if (isIntegrationLicense) reasons.push('integrationLicense');
    if (isLegacyProfile) reasons.push('legacyProfile');
    if (user.isActive && effectivePermissions(user, maps).has('ApiUserOnly')) reasons.push('apiUserOnly');
    const summary = options.loginsUsable ? logins.get(user.id) : undefined;
    if (user.isActive && summary && summary.logins > 0 && summary.apiLogins === summary.logins) reasons.push('oauthOnlyLogins');
    if (wanted) reasons.push('named');
    if (reasons.length === 0) continue;
    const { pslIds, setIds, groupIds, isFrozen } = user;
    result.push({
      id: user.id,
      username: user.username,
      isActive: user.isActive,
      isFrozen,
      lastLoginDate: user.lastLoginDate,
      createdDate: user.createdDate,
      profileId: user.profileId,
      profileName: user.profileName,
      userLicense: user.userLicense,
      isIntegrationLicense,
      isLegacyProfile,
      reasons,
      pslIds,
      setIds,
      groupIds,
    });
  }
  return result.sort((a, b) => a.username.localeCompare(b.username));
}

/** For each set or group an examined user holds directly: the active human users also holding it. */
function humanHolders(users: ReadonlyMap<string, UserRow>, integrationLike: ReadonlySet<string>, examined: readonly AuditUser[]): Map<string, string[]> {
  const wanted = new Set(examined.flatMap((u) => [...u.setIds, ...u.groupIds]));
  const holders = new Map<string, string[]>();
  for (const user of users.values()) {
    if (!user.isActive || integrationLike.has(user.id)) continue;
    for (const id of [...user.setIds, ...user.groupIds]) {
      if (!wanted.has(id)) continue;
      const list = holders.get(id) ?? [];
      list.push(user.username);
      holders.set(id, list);
    }
  }
  return holders;
}

function runAsSummaries(users: ReadonlyMap<string, UserRow>, names: readonly string[], maps: SetMaps): Map<string, OrgUserSummary> {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const result = new Map<string, OrgUserSummary>();
  if (wanted.size === 0) return result;
  for (const user of users.values()) {
    if (!wanted.has(user.username.toLowerCase())) continue;
    result.set(user.username.toLowerCase(), {
      username: user.username,
      isActive: user.isActive,
      isIntegrationLicense: user.userLicense === INTEGRATION_USER_LICENSE,
      hasApiUserOnly: effectivePermissions(user, maps).has('ApiUserOnly'),
    });
  }
  return result;
}
