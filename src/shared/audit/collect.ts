/**
 * The audit's reads. Round 1 (two composite requests, fetched concurrently by api.ts): the running user's
 * rights, the licenses, permission sets, group components, object access, users, assignments and frozen
 * users; beside it, the org's non-UI login history aggregated per user (COUNT and MAX(LoginTime) GROUP BY
 * user, login type, subtype, application and status: rows grow with users and clients, not with login
 * volume), each answer continued from its last user. Then only what those showed is needed: the permission
 * sets again without the permission fields the org lacks, the UI logins of the users they decide about, and
 * the OAuth tokens of the users examined. A read that fails, or that the running user may not make
 * (rights.ts), marks exactly the rules that need it (their `needs`, rules/*.ts) as not evaluated;
 * everything else is still judged.
 */
import { Messages } from '@salesforce/core';
import { dataUrl, platformErrorToSfError, streamQueries, type OrgConnection, type PlatformError, type StreamOutcome } from '../api.js';
import { INTEGRATION_USER_LICENSE, LEGACY_INTEGRATION_PROFILE } from '../constants.js';
import { licensesRead } from '../licenses.js';
import { similarUsernames } from '../model/names.js';
import { field, num, str, type Row } from '../read.js';
import { missingRights, missingRightsError, OPERATION_RIGHTS, rightsRead, rightsText, uncertainRights, type RunningUserRights } from '../rights.js';
import { chunk, inList, quote } from '../soql.js';
import {
  decodeLicenseAssignment,
  decodeSetAssignment,
  decodeUser,
  INTEGRATION_USERS_WHERE,
  licenseAssignmentQuery,
  setAssignmentQuery,
  userQuery,
  type UserRecord,
} from '../users.js';
import { readEcaPolicyFiles } from './ecaPolicies.js';
import {
  addLogin,
  type AuditData,
  type AuditUser,
  type GroupInfo,
  type LoginSummary,
  type ObjectAccess,
  type OrgUserSummary,
  type PermissionSetInfo,
} from './model.js';
import { READS, type ReadName } from './reads.js';
import type { AuditRule } from './rule.js';
import { AUDIT_RULES } from './rules/index.js';
import type { RuleNotEvaluated } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit');

/** Salesforce returns at most this many OauthToken rows per query (docs/platform-facts.md §10). */
export const OAUTH_TOKEN_ROW_CAP = 2500;
/** User Ids per OauthToken query: well under the caps, and a query text of a few kB. */
export const OAUTH_TOKEN_USERS_PER_QUERY = 300;
/** User Ids per `ui` LoginHistory query of the users outside the integration licenses. */
const UI_LOGIN_USERS_PER_QUERY = 300;
/** LoginHistory is read for at least this many days (IU003's OAuth-only signal, IU008, IU009). */
export const MIN_LOGIN_WINDOW_DAYS = 90;
/**
 * Rows asked of one aggregate LoginHistory query. Aggregate queries can't be continued with queryMore, so
 * each must fit one answer: an answer with this many rows may be cut and is read again split by user.
 */
export const LOGIN_GROUP_LIMIT = 2000;
/** Permission set reads before giving up on the permission fields (parse-and-retry, then describe). */
const MAX_PERMISSION_SET_ATTEMPTS = 4;
/** Rounds after the first (permission set retries, continued login reads) before the audit stops reading. */
const MAX_LATER_ROUNDS = 100;

/** System permissions read from PermissionSet: every rule's `permissionFields`, and API Only User (who is examined). */
export const PERMISSION_FIELDS: readonly string[] = [...new Set([...AUDIT_RULES.flatMap((r) => r.permissionFields), 'ApiUserOnly'])];

export type CollectOptions = {
  usernames?: string[];
  dormantDays: number;
  projectDir?: string;
  now: Date;
  /** Usernames named elsewhere (baseline, configuration): the ones the org doesn't have are reported. */
  referencedUsernames?: string[];
  /** Cursors reading the other active users' assignments side by side at the most (default OTHER_ASSIGNMENT_CURSORS). */
  assignmentCursors?: number;
};

export function permissionSetQuery(permissionFields: readonly string[]): string {
  const perms = permissionFields.map((f) => `, Permissions${f}`).join('');
  return `SELECT Id, Name, Label, LicenseId, IsOwnedByProfile, ProfileId, PermissionSetGroupId${perms} FROM PermissionSet`;
}

/**
 * The column an INVALID_FIELD error says does not exist. Salesforce's message echoes the whole query
 * line, then a caret line, `ERROR at Row:1:Column:N` and `No such column 'X' on entity 'Y'. …`: only the
 * `No such column` clause names the absent field (the echoed query names every field asked for).
 */
export function noSuchColumn(error: Pick<PlatformError, 'errorCode' | 'message'>): string | undefined {
  if (error.errorCode !== 'INVALID_FIELD') return undefined;
  return /No such column '(\w+)'/.exec(error.message)?.[1];
}

/** A user as users.ts decodes it, with the grants and frozen state folded in. */
type UserRow = UserRecord & {
  pslIds: string[];
  setIds: string[];
  groupIds: string[];
  isFrozen: boolean;
};

type SetMaps = Pick<AuditData, 'permissionSets' | 'profileSets' | 'groupAggregateSets' | 'groups'>;

/** Why a read is missing (or incomplete) for the rules that need it. */
type Failure = { reason: string; requiredPermission: string; partial?: boolean };

type PermissionFields = {
  /** The fields the next read asks for. */
  asked: string[];
  /** Known not to exist in this org: can't be held, not checked. */
  absent: Set<string>;
  /** Exist (or may) but could not be read: rules reading them are not evaluated. */
  unreadable: string[];
  state: 'ask' | 'describe' | 'done' | 'failed';
  attempts: number;
  lastError?: PlatformError;
};

/** Everything read so far. */
type Collected = {
  licenseRows: Row[][];
  rightsRows: Row[];
  rightsError?: PlatformError;
  rights: RunningUserRights;
  usersError?: PlatformError;
  permissionSets: Map<string, PermissionSetInfo>;
  profileSets: Map<string, string>;
  groupAggregateSets: Map<string, string>;
  groups: Map<string, GroupInfo>;
  objectAccess: Map<string, ObjectAccess[]>;
  users: Map<string, UserRow>;
  frozen: Set<string>;
  logins: Map<string, LoginSummary>;
  /** Per chained login read: the user whose logins (and every later user's, in Id order) are still to be read. */
  loginChains: { apiFrom: string | undefined; uiFrom: string | undefined };
  /** Whether the `ui` part of the logins has been asked for. */
  uiLoginsAsked: boolean;
  oauthApps: Map<string, Set<string>>;
  tokensAskedFor: Set<string>;
  pslAssignments: Array<[string, string]>;
  setAssignments: Array<[string, string, boolean]>;
  fields: PermissionFields;
  failures: Map<ReadName, Failure>;
};

/**
 * One read: its rows page by page, its outcome once the round is over (in query order), and — when the
 * read starts dependent work — `onDone` as soon as it is complete, while the round's other pages still come.
 */
type Query = { soql: string; onRows(rows: Row[]): void | boolean; onOutcome(outcome: StreamOutcome): void; onDone?(outcome: StreamOutcome): void };

type Scope = { assignmentCursors: number; named: string[] | undefined; loginWindowDays: number; since: string; runAsNames: string[]; referenced: string[] };

/** Reads everything the rules need. */
export async function collectAuditData(conn: OrgConnection, options: CollectOptions): Promise<AuditData> {
  const loginWindowDays = Math.max(options.dormantDays, MIN_LOGIN_WINDOW_DAYS);
  const ecaPolicies = options.projectDir ? await readEcaPolicyFiles(options.projectDir) : [];
  const scope: Scope = {
    assignmentCursors: options.assignmentCursors ?? OTHER_ASSIGNMENT_CURSORS,
    named: options.usernames && options.usernames.length > 0 ? options.usernames : undefined,
    loginWindowDays,
    since: new Date(options.now.getTime() - loginWindowDays * 24 * 60 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    runAsNames: [...new Set(ecaPolicies.flatMap((f) => (f.runAsUser ? [f.runAsUser] : [])))],
    referenced: [...new Set(options.referencedUsernames ?? [])],
  };
  const c = emptyCollection();

  // Reads that depend on one first-round read start as soon as it is complete, beside the first round's
  // other pages: the login history's chained reads, and the tokens of the users sure to be examined.
  const started = dependentReads();
  await runRound(conn, firstRound(conn, c, scope, started));
  await started.settled();
  sortUsers(c);
  c.rights = rightsRead().assemble([c.rightsRows], [c.rightsError]);
  checkUsersRead(conn, c);
  refuseUnknownUsers(c, scope);
  applyRights(c);
  attachGrants(c);

  // Until the permission sets and the api part of the logins are complete: together they decide whose UI
  // logins and tokens to read; then those (continuing the ui part as long as needed).
  for (let round = 0; round < MAX_LATER_ROUNDS; round++) {
    // eslint-disable-next-line no-await-in-loop
    if (c.fields.state === 'describe') await describePermissionSet(conn, c);
    let queries = [...permissionSetRetry(c), ...loginContinuation(c, scope)];
    if (queries.length === 0 && !c.uiLoginsAsked) queries = [...uiLoginQueries(c, scope), ...tokenQueries(c, scope)];
    if (queries.length === 0) break;
    // eslint-disable-next-line no-await-in-loop
    await runRound(conn, queries);
  }
  finishReads(c);
  return assemble(c, scope, options.now, ecaPolicies);
}

function emptyCollection(): Collected {
  return {
    licenseRows: [[], []],
    rightsRows: [],
    rights: rightsRead().assemble([[]], [{ errorCode: 'NOT_READ', message: '' }]),
    permissionSets: new Map(),
    profileSets: new Map(),
    groupAggregateSets: new Map(),
    groups: new Map(),
    objectAccess: new Map(),
    users: new Map(),
    frozen: new Set(),
    logins: new Map(),
    loginChains: { apiFrom: undefined, uiFrom: undefined },
    uiLoginsAsked: false,
    oauthApps: new Map(),
    tokensAskedFor: new Set(),
    pslAssignments: [],
    setAssignments: [],
    fields: { asked: [...PERMISSION_FIELDS], absent: new Set(), unreadable: [], state: 'ask', attempts: 0 },
    failures: new Map(),
  };
}

async function runRound(conn: OrgConnection, queries: Query[]): Promise<void> {
  if (queries.length === 0) return;
  const outcomes = await streamQueries<Row>(
    conn,
    queries.map((q) => q.soql),
    (index, rows) => queries[index].onRows(rows),
    undefined,
    (index, outcome) => queries[index].onDone?.(outcome)
  );
  outcomes.forEach((outcome, i) => queries[i].onOutcome(outcome));
}

/** Work started from inside a round; `settled()` waits for all of it and throws the first failure. */
type DependentReads = { start(work: () => Promise<void>): void; settled(): Promise<void> };

function dependentReads(): DependentReads {
  const running: Array<Promise<void>> = [];
  return {
    start: (work) => {
      const p = work();
      p.catch(() => undefined); // awaited in settled(); not an unhandled rejection meanwhile
      running.push(p);
    },
    settled: async () => {
      for (let i = 0; i < running.length; i++) {
        // eslint-disable-next-line no-await-in-loop
        await running[i];
      }
    },
  };
}

// ---- Round 1 -------------------------------------------------------------------------------------------

function firstRound(conn: OrgConnection, c: Collected, scope: Scope, started: DependentReads): Query[] {
  const [userLicenses, psls] = licensesRead().queries;
  // The tokens of the users sure to be examined, once the users and the running user's rights are in.
  let waitingFor = 2;
  const ready = (): void => {
    if (--waitingFor === 0 && !scope.named) started.start(() => runRound(conn, earlyTokenQueries(c)));
  };
  const firstLogins = apiLoginsRead(c, scope, undefined);
  const [usersInScope, otherUsers] = usersReads(c, scope);
  return [
    {
      soql: rightsRead().queries[0],
      onRows: (rows) => void c.rightsRows.push(...rows),
      onOutcome: (o) => {
        if (!o.ok) c.rightsError = o.error;
      },
      onDone: (o) => {
        if (o.ok) ready();
      },
    },
    { soql: userLicenses, onRows: (rows) => void c.licenseRows[0].push(...rows), onOutcome: failsRead(c, 'licenses') },
    { soql: psls, onRows: (rows) => void c.licenseRows[1].push(...rows), onOutcome: failsRead(c, 'licenses') },
    permissionSetRead(c),
    groupComponentsRead(c),
    objectAccessRead(c),
    {
      ...usersInScope,
      onDone: (o) => {
        if (o.ok) ready();
      },
    },
    otherUsers,
    // Every assignment of the users the run is about, and of the other active users (two cursors whose
    // pages come side by side); inactive users outside that scope are never examined nor counted (IU007).
    assignmentsRead(c, `AssigneeId IN ${scopeUsers(scope)}`),
    groupsRead(c),
    // next to each other, so that one composite carries both (see otherAssignmentsReads)
    ...otherAssignmentsReads(conn, c, `Assignee.IsActive = true AND AssigneeId NOT IN ${scopeUsers(scope)}`, started, scope.assignmentCursors),
    pslAssignmentsRead(c),
    frozenRead(c),
    {
      // The login history, aggregated: its continuation (from its last user on) follows at once, beside the round.
      soql: firstLogins.soql,
      onRows: (rows) => firstLogins.onRows(rows),
      onOutcome: () => undefined,
      onDone: (o) => {
        firstLogins.onOutcome(o);
        if (c.loginChains.apiFrom !== undefined) started.start(() => readApiLogins(conn, c, scope));
      },
    },
  ];
}

/**
 * The users whose every assignment the audit reads: the integration users (license or legacy profile) and
 * every user the run names (`--user`, run-as users, baseline and configuration).
 */
function scopeUsers(scope: Scope): string {
  return `(SELECT Id FROM User WHERE ${scopeWhere(scope)})`;
}

function scopeWhere(scope: Scope): string {
  const mentioned = mentionedUsernames(scope);
  return `${INTEGRATION_USERS_WHERE}${mentioned.length > 0 ? ` OR Username IN ${inList(mentioned)}` : ''}`;
}

function mentionedUsernames(scope: Scope): string[] {
  return [...(scope.named ?? []), ...scope.runAsNames, ...scope.referenced];
}

/** The `api` part of the logins, continued from the first round's answer, each answer from its last user. */
async function readApiLogins(conn: OrgConnection, c: Collected, scope: Scope): Promise<void> {
  for (let i = 0; i < MAX_LATER_ROUNDS; i++) {
    const from = c.loginChains.apiFrom;
    if (from === undefined || c.failures.has('logins')) return;
    // eslint-disable-next-line no-await-in-loop
    await runRound(conn, [apiLoginsRead(c, scope, from)]);
  }
}

/** An outcome handler that records a failed read (the first failure of its queries). */
function failsRead(c: Collected, read: ReadName): (outcome: StreamOutcome) => void {
  return (outcome) => {
    if (!outcome.ok && !c.failures.has(read)) c.failures.set(read, queryFailure(read, outcome.error));
  };
}

function queryFailure(read: ReadName, error: PlatformError): Failure {
  return {
    reason: messages.getMessage('notEvaluated.queryFailed', [error.errorCode, error.message.trim() || error.errorCode]),
    requiredPermission: readRights(read),
  };
}

/** `View Setup and Configuration or Assign Permission Sets` for a read (empty for a read needing nothing). */
function readRights(read: ReadName): string {
  const ops = READS[read].operations;
  return [...new Set(ops.map((op) => rightsText(OPERATION_RIGHTS[op])))].join('; ');
}

function permissionSetRead(c: Collected): Query {
  const fields = [...c.fields.asked];
  c.fields.attempts++;
  c.permissionSets.clear();
  c.profileSets.clear();
  c.groupAggregateSets.clear();
  return {
    soql: permissionSetQuery(fields),
    onRows: (rows) => addPermissionSets(c, rows, fields),
    onOutcome: (outcome) => {
      if (outcome.ok) {
        c.fields.state = 'done';
        return;
      }
      c.fields.lastError = outcome.error;
      const column = noSuchColumn(outcome.error);
      const name = column?.replace(/^Permissions/, '');
      if (name !== undefined && column !== name && c.fields.asked.includes(name)) {
        c.fields.absent.add(name);
        c.fields.asked = c.fields.asked.filter((f) => f !== name);
        // One absent field is usual; after that, ask the describe rather than one round trip per field.
        c.fields.state = c.fields.absent.size >= 2 ? 'describe' : 'ask';
      } else if (outcome.error.errorCode === 'INVALID_FIELD' && c.fields.asked.length > 0) {
        c.fields.state = 'describe';
      } else {
        c.fields.state = 'failed';
        c.failures.set('permissionSets', queryFailure('permissionSets', outcome.error));
      }
      if (c.fields.state !== 'failed' && c.fields.attempts >= MAX_PERMISSION_SET_ATTEMPTS) {
        c.fields.state = 'failed';
        c.failures.set('permissionSets', queryFailure('permissionSets', outcome.error));
      }
    },
  };
}

function addPermissionSets(c: Collected, rows: Row[], fields: readonly string[]): void {
  for (const row of rows) {
    const id = String(row.Id);
    const info: PermissionSetInfo = {
      id,
      name: field(row, 'Name') ?? id,
      label: field(row, 'Label') ?? field(row, 'Name') ?? id,
      licenseId: field(row, 'LicenseId'),
      isOwnedByProfile: row.IsOwnedByProfile === true,
      profileId: field(row, 'ProfileId'),
      groupId: field(row, 'PermissionSetGroupId'),
      permissions: new Set(fields.filter((f) => row[`Permissions${f}`] === true)),
    };
    c.permissionSets.set(id, info);
    if (info.isOwnedByProfile && info.profileId) c.profileSets.set(info.profileId, id);
    if (info.groupId) c.groupAggregateSets.set(info.groupId, id);
  }
}

function group(c: Collected, id: string, row: Row | null, prefix: string): GroupInfo {
  let info = c.groups.get(id);
  if (!info) {
    const at = (name: string): string | null => (prefix ? field(row, prefix, name) : field(row, name));
    info = { id, name: at('DeveloperName') ?? id, label: at('MasterLabel') ?? id, componentSetIds: [] };
    c.groups.set(id, info);
  }
  return info;
}

function groupComponentsRead(c: Collected): Query {
  return {
    soql: 'SELECT PermissionSetGroupId, PermissionSetGroup.DeveloperName, PermissionSetGroup.MasterLabel, PermissionSetId FROM PermissionSetGroupComponent',
    onRows: (rows) => {
      for (const row of rows) group(c, String(row.PermissionSetGroupId), row, 'PermissionSetGroup').componentSetIds.push(String(row.PermissionSetId));
    },
    onOutcome: failsRead(c, 'groupComponents'),
  };
}

function objectAccessRead(c: Collected): Query {
  return {
    soql: 'SELECT Id, ParentId, SobjectType, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE PermissionsViewAllRecords = true OR PermissionsModifyAllRecords = true',
    onRows: (rows) => {
      for (const row of rows) {
        // Rows with Ids starting 000 are implied by View/Modify All Data, which IU004 reports.
        if (String(row.Id).startsWith('000')) continue;
        const parentId = String(row.ParentId);
        const list = c.objectAccess.get(parentId) ?? [];
        list.push({ object: String(row.SobjectType), viewAll: row.PermissionsViewAllRecords === true, modifyAll: row.PermissionsModifyAllRecords === true });
        c.objectAccess.set(parentId, list);
      }
    },
    onOutcome: failsRead(c, 'objectAccess'),
  };
}

/**
 * The users the run is about (scopeWhere) and, in a second cursor read side by side, every other active
 * user (its exact complement among active users, without NOT): together every user the audit may examine
 * or count, each once.
 */
function usersReads(c: Collected, scope: Scope): [Query, Query] {
  const mentioned = mentionedUsernames(scope);
  const others = [
    'IsActive = true',
    `Profile.UserLicense.Name != ${quote(INTEGRATION_USER_LICENSE)}`,
    `Profile.Name != ${quote(LEGACY_INTEGRATION_PROFILE)}`,
    ...(mentioned.length > 0 ? [`Username NOT IN ${inList(mentioned)}`] : []),
  ].join(' AND ');
  return [usersRead(c, scopeWhere(scope)), usersRead(c, others)];
}

function usersRead(c: Collected, where: string): Query {
  return {
    soql: userQuery(where),
    onRows: (rows) => {
      for (const row of rows) {
        const user = decodeUser(row);
        c.users.set(user.id, { ...user, pslIds: [], setIds: [], groupIds: [], isFrozen: false });
      }
    },
    // Without the users there is nothing to audit: the audit could not run (checkUsersRead says why).
    onOutcome: (outcome) => {
      if (!outcome.ok) c.usersError = outcome.error;
    },
  };
}

/**
 * Set and group assignments matching `filter`, without the profiles' own sets (each user's comes from its
 * ProfileId). A group's assignment carries the group and its aggregate set, which no profile owns; the
 * groups' names come from groupsRead (one row a group, not one a holder).
 */
function assignmentsRead(c: Collected, filter: string): Query {
  return {
    soql: setAssignmentQuery(filter, { names: false }),
    onRows: (rows) => {
      for (const row of rows) {
        const a = decodeSetAssignment(row);
        c.setAssignments.push([a.assigneeId, a.grantId, a.kind === 'group']);
      }
    },
    onOutcome: failsRead(c, 'assignments'),
  };
}

/** At most this many cursors read the other active users' assignments side by side. */
export const OTHER_ASSIGNMENT_CURSORS = 3;
/** Permission set Ids in one cursor's `PermissionSetId IN (…)` list at the most (as the token reads' user lists). */
const SETS_PER_CURSOR = 300;
const ASSIGNMENT_PAGE = 2000;

/**
 * The other active users' assignments: in a large org the longest page chain of the audit (one serial chain of
 * 2,000-row pages). Round 1 asks, in one composite, for their count per permission set (an aggregate, one row
 * a set) and for the assignments themselves. When the count says they take more than a couple of pages, the
 * assignments' cursor is not followed past its first page: they are read by up to OTHER_ASSIGNMENT_CURSORS
 * cursors side by side, each a balanced share of the sets (`PermissionSetId IN (…)`; together exactly the
 * rows of the one query). Otherwise — a small org, a count that failed or did not fit one aggregate batch,
 * or the count not yet in when the first page came — the one cursor is followed as before, so a small org
 * makes no extra request.
 */
function otherAssignmentsReads(conn: OrgConnection, c: Collected, filter: string, started: DependentReads, most: number): [Query, Query] {
  const counts: Array<[string, number]> = [];
  let bins: string[][] | undefined;
  let counted = false;
  let decided: 'whole' | 'shares' | undefined;
  const whole = assignmentsRead(c, filter);
  const count: Query = {
    soql:
      `SELECT PermissionSetId, COUNT(Id) n FROM PermissionSetAssignment WHERE PermissionSet.IsOwnedByProfile = false AND ${filter} ` +
      `GROUP BY PermissionSetId LIMIT ${LOGIN_GROUP_LIMIT}`,
    onRows: (rows) => {
      for (const row of rows) counts.push([str(row, 'PermissionSetId'), num(row, 'n') ?? 0]);
    },
    onOutcome: () => undefined,
    onDone: (outcome) => {
      counted = true;
      if (outcome.ok && counts.length < LOGIN_GROUP_LIMIT) bins = balancedBins(counts, most);
    },
  };
  const cursor: Query = {
    ...whole,
    onRows: (rows) => {
      decided ??= counted && bins && bins.length > 1 ? 'shares' : 'whole';
      if (decided === 'whole') return whole.onRows(rows);
      const shares = (bins ?? []).map((ids) => assignmentsRead(c, `${filter} AND PermissionSetId IN ${inList(ids)}`));
      started.start(() => runRound(conn, shares));
      return false;
    },
  };
  return [count, cursor];
}

/** Sets split into bins of about equal row counts (largest first, each into the lightest bin); undefined when a bin would hold too many Ids. */
function balancedBins(counts: ReadonlyArray<[string, number]>, most: number): string[][] | undefined {
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return [];
  const k = Math.max(1, Math.min(most, counts.length, Math.floor(total / (2 * ASSIGNMENT_PAGE))));
  const bins = Array.from({ length: k }, () => ({ ids: [] as string[], rows: 0 }));
  for (const [id, n] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    const lightest = bins.reduce((min, bin) => (bin.rows < min.rows ? bin : min));
    lightest.ids.push(id);
    lightest.rows += n;
  }
  return bins.every((bin) => bin.ids.length <= SETS_PER_CURSOR) ? bins.map((bin) => bin.ids) : undefined;
}

function groupsRead(c: Collected): Query {
  return {
    soql: 'SELECT Id, DeveloperName, MasterLabel FROM PermissionSetGroup',
    onRows: (rows) => {
      for (const row of rows) group(c, String(row.Id), row, '');
    },
    onOutcome: failsRead(c, 'assignments'),
  };
}

function pslAssignmentsRead(c: Collected): Query {
  return {
    soql: licenseAssignmentQuery('', { names: false }),
    onRows: (rows) => {
      for (const row of rows) {
        const a = decodeLicenseAssignment(row);
        c.pslAssignments.push([a.assigneeId, a.licenseId]);
      }
    },
    onOutcome: failsRead(c, 'pslAssignments'),
  };
}

function frozenRead(c: Collected): Query {
  return {
    soql: 'SELECT UserId FROM UserLogin WHERE IsFrozen = true',
    onRows: (rows) => {
      for (const row of rows) c.frozen.add(String(row.UserId));
    },
    onOutcome: failsRead(c, 'frozen'),
  };
}

/**
 * The login history in the window, aggregated (`Status` can't be filtered, `LoginTime` can't be grouped:
 * Object Reference, LoginHistory), in two parts, each ordered by user and at most LOGIN_GROUP_LIMIT rows
 * (aggregate queries can't be continued with queryMore): an answer that fills the limit is continued from its
 * last user, whose rows may be cut, by the next query, in the org's own ordering of Ids.
 *   - `api`: every login but the UI's (`LoginType` 'Application'), per user, type, subtype, application and
 *     status — who logs in through the API, with which clients;
 *   - `ui`: UI logins per user and status, only for the users that matter (integration users, API-only
 *     users, users whose other logins are all API): the org's many people who only ever log in through the
 *     browser cost nothing.
 * Together they give each of those users exactly the summary that folding every row would.
 */
export type LoginPart = 'api' | 'ui';

export function loginAggregateQuery(part: LoginPart, since: string, scopeClause: string): string {
  const [fields, type] = part === 'api' ? ['UserId, LoginType, LoginSubType, Application, Status', '!='] : ['UserId, Status', '='];
  return (
    `SELECT ${fields}, COUNT(Id) logins, MAX(LoginTime) lastLogin FROM LoginHistory ` +
    `WHERE LoginTime >= ${since} AND LoginType ${type} 'Application'${scopeClause} GROUP BY ${fields} ORDER BY UserId LIMIT ${LOGIN_GROUP_LIMIT}`
  );
}

/** A chained part (`chain`: where its next query starts) or, without `chain`, a one-shot read of a few users. */
type LoginRead = { part: LoginPart; scopeClause: string; chain?: 'apiFrom' | 'uiFrom' };

function loginsRead(c: Collected, scope: Scope, read: LoginRead, fromUserId: string | undefined): Query {
  const scopeClause = read.scopeClause + (fromUserId ? ` AND UserId >= ${quote(fromUserId)}` : '');
  const buffered: Row[] = [];
  const stop = (): void => {
    if (read.chain) c.loginChains[read.chain] = undefined;
  };
  return {
    soql: loginAggregateQuery(read.part, scope.since, scopeClause),
    onRows: (rows) => void buffered.push(...rows),
    onOutcome: (outcome) => {
      if (!outcome.ok) {
        failsRead(c, 'logins')(outcome);
        stop();
        return;
      }
      const cut = buffered.length >= LOGIN_GROUP_LIMIT;
      const last = cut ? String(buffered[buffered.length - 1].UserId) : undefined;
      if (cut && (!read.chain || String(buffered[0].UserId) === last)) {
        c.failures.set('logins', { reason: messages.getMessage('notEvaluated.loginsTooMany', [LOGIN_GROUP_LIMIT]), requiredPermission: readRights('logins') });
        stop();
        return;
      }
      for (const row of buffered) {
        if (row.UserId === last) continue;
        const group = read.part === 'ui' ? { ...row, LoginType: 'Application' } : row;
        addLogin(c.logins, { ...group, LoginTime: row.lastLogin ?? row.LoginTime });
      }
      if (read.chain) c.loginChains[read.chain] = last;
    },
  };
}

/** The `api` part of the named users or of the whole org, from `fromUserId` on. */
function apiLoginsRead(c: Collected, scope: Scope, fromUserId: string | undefined): Query {
  const scopeClause = scope.named ? ` AND UserId IN (SELECT Id FROM User WHERE Username IN ${inList(scope.named)})` : '';
  return loginsRead(c, scope, { part: 'api', scopeClause, chain: 'apiFrom' }, fromUserId);
}

// ---- After round 1 -------------------------------------------------------------------------------------

/**
 * The users read failed: nothing can be audited. Telling integration users apart takes their user license
 * (`Profile.UserLicense`), so a running user who may not read licenses gets the permission it lacks named.
 */
function checkUsersRead(conn: OrgConnection, c: Collected): void {
  if (!c.usersError) return;
  const missing = missingRights(c.rights, READS.licenses.operations);
  if (missing.length > 0) throw missingRightsError(missing, conn.getUsername());
  throw platformErrorToSfError(conn, c.usersError);
}

/** Every `--user` must exist: a misspelt one is an error, never a silently smaller audit. */
function refuseUnknownUsers(c: Collected, scope: Scope): void {
  if (!scope.named) return;
  const found = new Set([...c.users.values()].map((u) => u.username.toLowerCase()));
  const missing = scope.named.filter((n) => !found.has(n.toLowerCase()));
  if (missing.length === 0) return;
  const usernames = [...c.users.values()].map((u) => u.username);
  const hints = missing.map((name) => {
    const near = similarUsernames(name, usernames);
    return near.length > 0
      ? messages.getMessage('error.UserNotFound.didYouMean', [name, near.join(', ')])
      : messages.getMessage('error.UserNotFound.noMatch', [name]);
  });
  const error = messages.createError('error.UserNotFound', [missing.join(', ')]);
  error.actions = [...hints, messages.getMessage('error.UserNotFound.list')];
  error.setData({ usersNotFound: missing });
  error.exitCode = 1;
  throw error;
}

/**
 * What the running user may not read marks those reads as missing (overriding the platform's error, whose
 * cause this names). Reads that answer only the running user's own rows without the right (LoginHistory,
 * OauthToken) are judged by the rights alone: kept only when the right is known to be held.
 */
function applyRights(c: Collected): void {
  for (const read of Object.keys(READS) as ReadName[]) {
    const { operations, ownRowsWithoutRight } = READS[read];
    const missing = missingRights(c.rights, operations);
    if (missing.length > 0) {
      c.failures.set(read, {
        reason: messages.getMessage('notEvaluated.missingRight', [missing.map((m) => `${rightsText(m.anyOf)}, needed ${m.purpose}`).join('; ')]),
        requiredPermission: [...new Set(missing.map((m) => rightsText(m.anyOf)))].join('; '),
      });
    } else if (ownRowsWithoutRight && uncertainRights(c.rights, operations).length > 0) {
      c.failures.set(read, {
        reason: messages.getMessage('notEvaluated.rightsUnknown', [readRights(read)]),
        requiredPermission: readRights(read),
      });
    }
    if (c.failures.has(read) && read === 'logins') {
      c.logins.clear();
      c.loginChains = { apiFrom: undefined, uiFrom: undefined };
    }
  }
  if (c.failures.has('permissionSets')) c.fields.state = 'failed';
}

/** The users by username (they came from two cursors, each in that order). */
function sortUsers(c: Collected): void {
  const sorted = [...c.users.values()].sort((a, b) => a.username.localeCompare(b.username));
  c.users = new Map(sorted.map((u) => [u.id, u]));
}

/** Folds the assignments read so far into the users. */
function attachGrants(c: Collected): void {
  for (const [assigneeId, pslId] of c.pslAssignments) c.users.get(assigneeId)?.pslIds.push(pslId);
  for (const [assigneeId, grantId, isGroup] of c.setAssignments) {
    const user = c.users.get(assigneeId);
    if (user) (isGroup ? user.groupIds : user.setIds).push(grantId);
  }
  c.pslAssignments.length = 0;
  c.setAssignments.length = 0;
  for (const id of c.frozen) {
    const user = c.users.get(id);
    if (user) user.isFrozen = true;
  }
}

// ---- Later rounds --------------------------------------------------------------------------------------

/** The permission sets again, without the fields the org lacks (or with what its describe lists). */
function permissionSetRetry(c: Collected): Query[] {
  return c.fields.state === 'ask' && c.fields.attempts > 0 && !c.failures.has('permissionSets') && c.fields.lastError ? [permissionSetRead(c)] : [];
}

/** Which Permissions* fields PermissionSet has, from its describe (one request). */
async function describePermissionSet(conn: OrgConnection, c: Collected): Promise<void> {
  try {
    const describe = await conn.request<{ fields?: Array<{ name?: string }> }>({ method: 'GET', url: dataUrl(conn, 'sobjects/PermissionSet/describe') });
    const existing = new Set((describe.fields ?? []).map((f) => f.name ?? ''));
    for (const f of c.fields.asked) if (!existing.has(`Permissions${f}`)) c.fields.absent.add(f);
    c.fields.asked = c.fields.asked.filter((f) => existing.has(`Permissions${f}`));
  } catch {
    // Can't tell which exist: read the sets without permissions; the rules reading them are not evaluated.
    c.fields.unreadable.push(...c.fields.asked);
    c.fields.asked = [];
  }
  c.fields.state = 'ask';
}

function loginContinuation(c: Collected, scope: Scope): Query[] {
  if (c.failures.has('logins')) return [];
  const { apiFrom, uiFrom } = c.loginChains;
  return [
    ...(apiFrom !== undefined ? [apiLoginsRead(c, scope, apiFrom)] : []),
    ...(uiFrom !== undefined ? [loginsRead(c, scope, uiRead(scope), uiFrom)] : []),
  ];
}

/** The chained `ui` part: the named users, or every integration-license and legacy-profile user. */
function uiRead(scope: Scope): LoginRead {
  const scopeClause = scope.named
    ? ` AND UserId IN (SELECT Id FROM User WHERE Username IN ${inList(scope.named)})`
    : ` AND UserId IN (SELECT Id FROM User WHERE ${INTEGRATION_USERS_WHERE})`;
  return { part: 'ui', scopeClause, chain: 'uiFrom' };
}

/**
 * The `ui` part, once the `api` part and the permission sets are in: the chained read of integration users
 * (or the named ones) and, by Id, the other users it decides about — active users holding API Only User,
 * and active users whose other logins are all API logins (OAuth-only look-alikes unless they use the UI).
 */
function uiLoginQueries(c: Collected, scope: Scope): Query[] {
  if (c.failures.has('logins') || c.uiLoginsAsked) return [];
  c.uiLoginsAsked = true;
  const queries = [loginsRead(c, scope, uiRead(scope), undefined)];
  if (scope.named) return queries;
  const others = [...c.users.values()].filter((u) => {
    if (!u.isActive || u.isIntegrationLicense || u.isLegacyProfile) return false;
    const summary = c.logins.get(u.id);
    return (summary !== undefined && summary.logins > 0 && summary.apiLogins === summary.logins) || effectivePermissions(u, c).has('ApiUserOnly');
  });
  for (const ids of chunk(others.map((u) => u.id), UI_LOGIN_USERS_PER_QUERY)) {
    queries.push(loginsRead(c, scope, { part: 'ui', scopeClause: ` AND UserId IN ${inList(ids)}` }, undefined));
  }
  return queries;
}

/**
 * OAuth tokens of the users that may be examined: asked with the `ui` part of the logins, which can only
 * take users out (an OAuth-only look-alike that also uses the UI), so this is a superset.
 */
function tokenQueries(c: Collected, scope: Scope): Query[] {
  if (c.failures.has('oauthTokens')) return [];
  const examined = classify(c.users, c, c.failures.has('logins') ? new Map() : c.logins, { named: scope.named });
  return tokenReads(c, examined.filter((u) => u.isActive).map((u) => u.id));
}

/**
 * The tokens of the active users sure to be examined (integration license, legacy profile), asked as soon
 * as the users and the running user's rights are in, if those rights let it see other users' tokens: in a
 * large org their many queries then overlap the first round's page chains instead of following them.
 */
function earlyTokenQueries(c: Collected): Query[] {
  const rights = rightsRead().assemble([c.rightsRows], [c.rightsError]);
  const { operations } = READS.oauthTokens;
  if (missingRights(rights, operations).length > 0 || uncertainRights(rights, operations).length > 0) return [];
  const sure = [...c.users.values()].filter((u) => u.isActive && (u.isIntegrationLicense || u.isLegacyProfile));
  // One query's worth rides along with the last round's composite request at no extra request.
  if (sure.length <= OAUTH_TOKEN_USERS_PER_QUERY) return [];
  return tokenReads(
    c,
    sure.map((u) => u.id)
  );
}

/** OauthToken rows of these users (those not asked for yet), OAUTH_TOKEN_USERS_PER_QUERY users a query. */
function tokenReads(c: Collected, userIds: readonly string[]): Query[] {
  const ids = userIds.filter((id) => !c.tokensAskedFor.has(id));
  for (const id of ids) c.tokensAskedFor.add(id);
  return chunk(ids, OAUTH_TOKEN_USERS_PER_QUERY).map((chunkIds) => ({
    soql: `SELECT UserId, AppName FROM OauthToken WHERE UserId IN ${inList(chunkIds)}`,
    onRows: (rows) => {
      for (const row of rows) {
        const userId = String(row.UserId);
        const apps = c.oauthApps.get(userId) ?? new Set<string>();
        if (typeof row.AppName === 'string') apps.add(row.AppName);
        c.oauthApps.set(userId, apps);
      }
    },
    onOutcome: (outcome) => {
      if (!outcome.ok) failsRead(c, 'oauthTokens')(outcome);
      else if (outcome.rowCount >= OAUTH_TOKEN_ROW_CAP && !c.failures.has('oauthTokens')) {
        c.failures.set('oauthTokens', {
          reason: messages.getMessage('notEvaluated.oauthTokenCapped', [OAUTH_TOKEN_ROW_CAP]),
          requiredPermission: readRights('oauthTokens'),
          partial: true,
        });
      }
    },
  }));
}

/** Reads still unfinished when the rounds ran out are missing too. */
function finishReads(c: Collected): void {
  if ((c.loginChains.apiFrom !== undefined || c.loginChains.uiFrom !== undefined) && !c.failures.has('logins')) {
    c.failures.set('logins', { reason: messages.getMessage('notEvaluated.loginsTooMany', [LOGIN_GROUP_LIMIT]), requiredPermission: readRights('logins') });
  }
  if (c.fields.state !== 'done' && !c.failures.has('permissionSets')) {
    const error = c.fields.lastError ?? { errorCode: 'INVALID_FIELD', message: '' };
    c.failures.set('permissionSets', queryFailure('permissionSets', error));
  }
}

// ---- The data the rules read ---------------------------------------------------------------------------

function assemble(c: Collected, scope: Scope, now: Date, ecaPolicies: AuditData['ecaPolicies']): AuditData {
  const loginsUsable = !c.failures.has('logins');
  const logins = loginsUsable ? c.logins : new Map<string, LoginSummary>();
  const examined = classify(c.users, c, logins, { named: scope.named });
  const integrationLike = scope.named ? new Set(classify(c.users, c, logins, { named: undefined }).map((u) => u.id)) : new Set(examined.map((u) => u.id));
  const { notEvaluated, skipped } = rulesNotEvaluated(AUDIT_RULES, c.failures, c.fields);
  const known = new Set([...c.users.values()].map((u) => u.username.toLowerCase()));
  return {
    now,
    loginWindowDays: scope.loginWindowDays,
    licenses: licensesRead().assemble(c.licenseRows),
    users: examined,
    humanHolders: humanHolders(c.users, integrationLike, examined),
    permissionSets: c.permissionSets,
    profileSets: c.profileSets,
    groups: c.groups,
    groupAggregateSets: c.groupAggregateSets,
    objectAccess: c.objectAccess,
    logins: loginsUsable ? c.logins : null,
    oauthApps: c.failures.has('oauthTokens') && !c.failures.get('oauthTokens')?.partial ? null : c.oauthApps,
    runAsUsers: runAsSummaries(c.users, scope.runAsNames, c),
    ecaPolicies,
    notEvaluated,
    skipped,
    unknownUsernames: scope.referenced.filter((name) => !known.has(name.toLowerCase())),
  };
}

/**
 * From the rules' declarations: a rule is not evaluated when a read it needs is missing or a permission
 * field it reads could not be read, with ONE entry naming every reason; its check is skipped unless every
 * reason is partial (the rule still reports what it found).
 */
export function rulesNotEvaluated(
  rules: readonly AuditRule[],
  failures: ReadonlyMap<ReadName, Failure>,
  fields: Pick<PermissionFields, 'unreadable' | 'lastError'>
): { notEvaluated: RuleNotEvaluated[]; skipped: Set<string> } {
  const notEvaluated: RuleNotEvaluated[] = [];
  const skipped = new Set<string>();
  for (const rule of rules) {
    const reasons = rule.needs.flatMap((read) => {
      const failure = failures.get(read);
      return failure ? [failure] : [];
    });
    const unreadable = rule.permissionFields.filter((f) => fields.unreadable.includes(f));
    if (unreadable.length > 0 && !failures.has('permissionSets')) {
      const detail = fields.lastError?.message.trim() || fields.lastError?.errorCode || 'INVALID_FIELD';
      reasons.push({
        reason: messages.getMessage('notEvaluated.fieldsUnreadable', [unreadable.map((f) => `Permissions${f}`).join(', '), detail]),
        requiredPermission: readRights('permissionSets'),
      });
    }
    if (reasons.length === 0) continue;
    notEvaluated.push({
      ruleId: rule.id,
      reason: [...new Set(reasons.map((r) => r.reason))].join(' '),
      requiredPermission: [...new Set(reasons.map((r) => r.requiredPermission).filter((p) => p !== ''))].join('; '),
    });
    if (reasons.some((r) => !r.partial)) skipped.add(rule.id);
  }
  return { notEvaluated, skipped };
}

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
  options: { named: readonly string[] | undefined }
): AuditUser[] {
  const wanted = options.named ? new Set(options.named.map((n) => n.toLowerCase())) : undefined;
  const result: AuditUser[] = [];
  for (const user of users.values()) {
    if (wanted && !wanted.has(user.username.toLowerCase())) continue;
    const { isIntegrationLicense, isLegacyProfile } = user;
    const reasons: AuditUser['reasons'] = [];
    if (isIntegrationLicense) reasons.push('integrationLicense');
    if (isLegacyProfile) reasons.push('legacyProfile');
    if (user.isActive && effectivePermissions(user, maps).has('ApiUserOnly')) reasons.push('apiUserOnly');
    const summary = logins.get(user.id);
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
      isIntegrationLicense: user.isIntegrationLicense,
      hasApiUserOnly: effectivePermissions(user, maps).has('ApiUserOnly'),
    });
  }
  return result;
}
