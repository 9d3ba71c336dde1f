/**
 * Deactivate (with a dependency check) and reactivate one integration user.
 *
 * Dependency check, in one read round trip (five queries in one composite request): the running user's
 * rights, the user with its permission set (license) assignments, its UserLogin, the scheduled jobs it owns
 * (CronTrigger, not yet finished) and its OAuth tokens (which apps still use it); plus, on disk, the External
 * Client App OAuth policy files of the enclosing sfdx project whose clientCredentialsFlowUser is this user,
 * and (with -f) the integrations spec as it applies to --env: an integration there that is this user with
 * state present would be recreated or reactivated by the next apply (inactive/absent mean "deactivated").
 * Not checked (not queryable or out of scope): flows, processes and other "run as" settings; the result says so.
 */
import { SfError } from '@salesforce/core';
import { composite, dataUrl, firstError, type OrgConnection, type SubRequest } from '../api.js';
import { readEcaPolicyFiles } from '../audit/ecaPolicies.js';
import { userIdentity } from '../grants/userFields.js';
import { licensesRead } from '../licenses.js';
import { countOf } from '../model/count.js';
import { id15, sameId } from '../model/ids.js';
import { field, readParts, str, type ReadPart, type Row } from '../read.js';
import { rightsRead, type Operation } from '../rights.js';
import { inList, quote } from '../soql.js';
import type { ResolvedSpec } from '../spec/types.js';
import { answerLost, lostReason, mergeInterrupted, type Interrupted } from './lostAnswer.js';
import { errorText, lifecycleUsersRead, messages, resolveUsers, type LifecycleUser } from './users.js';

export type Dependency =
  | { kind: 'ecaPolicyFile'; path: string; detail: string }
  | { kind: 'scheduledJob'; id: string; name: string; state: string; nextFireTime: string | null; detail: string }
  | { kind: 'oauthTokens'; app: string; count: number; detail: string }
  | { kind: 'specFile'; path: string; integration: string; line: number; state: 'present'; detail: string };

export type GrantHeld = { type: 'permissionSetLicense' | 'permissionSet' | 'permissionSetGroup'; name: string; assignmentId: string };

export type DeactivateResult = {
  username: string;
  userId: string;
  dryRun: boolean;
  /** IsActive before and after (as the org holds it). */
  wasActive: boolean;
  isActive: boolean;
  status: 'deactivated' | 'grantsRemoved' | 'unchanged' | 'wouldDeactivate' | 'wouldRemoveGrants' | 'refused' | 'failed' | 'partial';
  dependencies: Dependency[];
  /** What the check could not look at. */
  notChecked: string[];
  forced: boolean;
  /** Grants held before; with --remove-grants, each one's outcome. */
  grants: Array<GrantHeld & { status: 'kept' | 'removed' | 'wouldRemove' | 'failed'; error?: string }>;
  /** What deactivation does to the seats. */
  seats: string[];
  error?: string;
  writeRequests: number;
  /** Set when the deactivation's answer was lost: IsActive comes from a re-read (no `error` when it shows the change made). */
  interrupted?: Interrupted;
};

export type DeactivateOptions = {
  username: string;
  force?: boolean;
  removeGrants?: boolean;
  dryRun?: boolean;
  allowNonIntegrationUser?: boolean;
  /** The enclosing sfdx project, if any (its ECA policy files are checked). */
  projectDir?: string;
  /** The integrations spec (-f), resolved for --env: an integration naming this user with state present is a dependency. */
  spec?: ResolvedSpec;
};

/**
 * The spec's integrations that are `username` and want it present. A username the spec doesn't give is
 * derived from the integration's name the way plan/apply derive it (running user's domain, env suffix).
 */
export function specDependencies(spec: ResolvedSpec, username: string, runningUsername: string): Dependency[] {
  const wanted = username.toLowerCase();
  const out: Dependency[] = [];
  for (const integration of spec.integrations) {
    let name = integration.username;
    if (!name) {
      const derived = userIdentity({ name: integration.name }, runningUsername).username;
      name = derived ? `${derived}${spec.usernameSuffix ?? ''}`.toLowerCase() : undefined;
    }
    if (name !== wanted || integration.state !== 'present') continue;
    out.push({
      kind: 'specFile',
      path: spec.file,
      integration: integration.name,
      line: integration.line,
      state: 'present',
      detail: messages.getMessage('dep.specFile', [integration.name, spec.file, integration.line, spec.environment ? ` (environment ${spec.environment})` : '', spec.file]),
    });
  }
  return out;
}

const ACTIVE_JOB_STATES = ['WAITING', 'ACQUIRED', 'EXECUTING', 'PAUSED', 'BLOCKED', 'PAUSED_BLOCKED'];

function dependenciesRead(username: string): ReadPart<{ jobs: Row[]; tokens: Row[]; grants: GrantHeld[] }> {
  const u = quote(username.toLowerCase());
  return {
    queries: [
      `SELECT Id, CronJobDetail.Name, State, NextFireTime FROM CronTrigger WHERE Owner.Username = ${u} AND State IN (${ACTIVE_JOB_STATES.map(quote).join(', ')})`,
      `SELECT Id, AppName FROM OauthToken WHERE User.Username = ${u}`,
      `SELECT Id, (SELECT Id, PermissionSet.Name, PermissionSet.IsOwnedByProfile, PermissionSetGroupId, PermissionSetGroup.DeveloperName FROM PermissionSetAssignments), (SELECT Id, PermissionSetLicense.DeveloperName FROM PermissionSetLicenseAssignments) FROM User WHERE Username = ${u}`,
    ],
    assemble([jobs, tokens, [user]]) {
      const grants: GrantHeld[] = [];
      const children = (name: string): Row[] => (field<{ records: Row[] }>(user, name)?.records ?? []);
      for (const a of children('PermissionSetAssignments')) {
        if (field(a, 'PermissionSetGroupId')) grants.push({ type: 'permissionSetGroup', name: String(field(a, 'PermissionSetGroup', 'DeveloperName')), assignmentId: String(a.Id) });
        else if (field<boolean>(a, 'PermissionSet', 'IsOwnedByProfile') !== true) grants.push({ type: 'permissionSet', name: String(field(a, 'PermissionSet', 'Name')), assignmentId: String(a.Id) });
      }
      for (const a of children('PermissionSetLicenseAssignments')) {
        grants.push({ type: 'permissionSetLicense', name: String(field(a, 'PermissionSetLicense', 'DeveloperName')), assignmentId: String(a.Id) });
      }
      return { jobs, tokens, grants };
    },
  };
}

function deactivateNeeds(removeGrants: boolean): { required: Operation[]; optional: Operation[] } {
  const required: Operation[] = ['write:User'];
  if (removeGrants) required.push('write:PermissionSetAssignment', 'write:PermissionSetLicenseAssign');
  return { required, optional: ['read:OauthToken:others', 'read:PermissionSetAssignment'] };
}

/** Runs the dependency check and, unless refused or a dry run, deactivates. Throws (nothing written) when refused. */
export async function deactivateUser(conn: OrgConnection, options: DeactivateOptions): Promise<DeactivateResult> {
  const removeGrants = options.removeGrants === true;
  const [rights, users, deps] = await readParts(conn, [
    rightsRead(deactivateNeeds(removeGrants)),
    lifecycleUsersRead([options.username], { withLogin: false }),
    dependenciesRead(options.username),
  ] as const);
  const [user] = await resolveUsers(conn, [options.username], users, options.allowNonIntegrationUser === true);
  const dependencies: Dependency[] = [];
  const policyFiles = options.projectDir ? await readEcaPolicyFiles(options.projectDir) : [];
  for (const file of policyFiles) {
    if (file.runAsUser?.toLowerCase() === user.username.toLowerCase()) {
      dependencies.push({ kind: 'ecaPolicyFile', path: file.path, detail: messages.getMessage('dep.ecaPolicyFile', [file.path, file.clientCredentialsEnabled ? 'on' : 'off']) });
    }
  }
  if (options.spec) dependencies.push(...specDependencies(options.spec, user.username, conn.getUsername() ?? ''));
  for (const job of deps.jobs) {
    const name = field(job, 'CronJobDetail', 'Name') ?? String(job.Id);
    dependencies.push({ kind: 'scheduledJob', id: String(job.Id), name, state: String(job.State), nextFireTime: field(job, 'NextFireTime'), detail: messages.getMessage('dep.scheduledJob', [name, String(job.State), field(job, 'NextFireTime') ?? '-']) });
  }
  const perApp = new Map<string, number>();
  for (const t of deps.tokens) perApp.set(String(t.AppName), (perApp.get(String(t.AppName)) ?? 0) + 1);
  for (const [app, count] of perApp) dependencies.push({ kind: 'oauthTokens', app, count, detail: messages.getMessage('dep.oauthTokens', [countOf(count, 'token'), app]) });
  const notChecked = [messages.getMessage('notChecked.automation')];
  if (!options.projectDir) notChecked.push(messages.getMessage('notChecked.project'));
  if (!rights.can('read:OauthToken:others')) notChecked.push(messages.getMessage('notChecked.tokens'));

  const result: DeactivateResult = {
    ...unchangedUser(user, options.dryRun),
    dependencies,
    notChecked,
    forced: options.force === true,
    grants: deps.grants.map((g) => ({ ...g, status: removeGrants ? (options.dryRun ? 'wouldRemove' : 'removed') : 'kept' })),
    seats: seatNotes(user, deps.grants, removeGrants),
    writeRequests: 0,
  };
  const needsDeactivation = user.isActive;
  const needsGrantRemoval = removeGrants && deps.grants.length > 0;
  if (!needsDeactivation && !needsGrantRemoval) {
    result.grants = result.grants.map((g) => ({ ...g, status: 'kept' }));
    return result;
  }
  if (dependencies.length > 0 && !options.force && needsDeactivation) {
    if (options.dryRun) return { ...result, status: 'refused', grants: result.grants.map((g) => ({ ...g, status: 'kept' })) };
    const error = new SfError(
      messages.getMessage('error.Dependencies', [user.username, dependencies.length, dependencies.map((d) => `- ${d.detail}`).join('\n')]),
      'DependenciesError',
      messages.getMessages('error.Dependencies.actions'),
      1
    );
    error.setData({ ...result, status: 'refused' });
    throw error;
  }
  if (options.dryRun) {
    result.status = needsDeactivation ? 'wouldDeactivate' : 'wouldRemoveGrants';
    return result;
  }
  if (needsDeactivation) {
    result.writeRequests++;
    try {
      await composite(conn, [{ method: 'PATCH', url: dataUrl(conn, `sobjects/User/${user.id}`), referenceId: 'user', body: { IsActive: false } }], { allOrNone: true }).then(assertOk);
      result.isActive = false;
      result.status = 'deactivated';
    } catch (e) {
      result.isActive = await reReadActive(conn, user.id, user.isActive);
      result.status = result.isActive ? 'failed' : 'deactivated';
      if (result.isActive) result.error = errorText(e);
      if (answerLost(e)) result.interrupted = { reason: lostReason(e), complete: !result.isActive };
      if (result.isActive) {
        result.grants = result.grants.map((g) => ({ ...g, status: 'kept' }));
        return result;
      }
    }
  }
  if (needsGrantRemoval) await removeGrantsOf(conn, result);
  if (!needsDeactivation && result.grants.every((g) => g.status === 'removed')) result.status = 'grantsRemoved';
  if (result.grants.some((g) => g.status === 'failed')) result.status = 'partial';
  return result;
}

function assertOk(responses: Array<{ httpStatusCode: number; body: unknown }>): void {
  const bad = responses.find((r) => r.httpStatusCode >= 300);
  if (bad) {
    const e = firstError(bad.body);
    throw new Error(`${e.errorCode}: ${e.message}`);
  }
}

async function reReadActive(conn: OrgConnection, userId: string, fallback: boolean): Promise<boolean> {
  try {
    const [rows] = await readParts(conn, [{ queries: [`SELECT IsActive FROM User WHERE Id = ${quote(userId)}`], assemble: ([r]) => r }] as const);
    return rows[0]?.IsActive === true;
  } catch {
    return fallback;
  }
}

/** Sets before licenses (a license can't go while a set needs it), all or nothing, 25 a request. */
async function removeGrantsOf(conn: OrgConnection, result: DeactivateResult): Promise<void> {
  const order = [...result.grants].sort((a, b) => Number(a.type === 'permissionSetLicense') - Number(b.type === 'permissionSetLicense'));
  const subs: SubRequest[] = order.map((g, i) => ({
    method: 'DELETE',
    url: dataUrl(conn, `sobjects/${g.type === 'permissionSetLicense' ? 'PermissionSetLicenseAssign' : 'PermissionSetAssignment'}/${g.assignmentId}`),
    referenceId: `g${i}`,
  }));
  for (let start = 0; start < subs.length; start += 25) {
    const slice = order.slice(start, start + 25);
    result.writeRequests++;
    try {
      // eslint-disable-next-line no-await-in-loop
      await composite(conn, subs.slice(start, start + 25), { allOrNone: true }).then(assertOk);
      for (const g of slice) g.status = 'removed';
    } catch (e) {
      // A lost answer may have committed the deletes: what the org still holds decides each grant's status.
      // eslint-disable-next-line no-await-in-loop
      const held = answerLost(e) ? await assignmentsStillHeld(conn, slice) : undefined;
      for (const g of slice) {
        if (held && !held.has(id15(g.assignmentId))) g.status = 'removed';
        else Object.assign(g, { status: 'failed', error: errorText(e) });
      }
      if (answerLost(e)) {
        const lost = { reason: lostReason(e), complete: slice.every((g) => g.status === 'removed') };
        Object.assign(result, mergeInterrupted([result.interrupted, lost]));
      }
    }
  }
  result.grants = order;
}

/** The assignment Ids of `grants` the org still holds (one read), or undefined when that read fails too. */
async function assignmentsStillHeld(conn: OrgConnection, grants: readonly GrantHeld[]): Promise<Set<string> | undefined> {
  const ids = (type: 'psl' | 'set'): string[] =>
    grants.filter((g) => (g.type === 'permissionSetLicense') === (type === 'psl')).map((g) => g.assignmentId);
  const queries = [
    ...(ids('psl').length > 0 ? [`SELECT Id FROM PermissionSetLicenseAssign WHERE Id IN ${inList(ids('psl'))}`] : []),
    ...(ids('set').length > 0 ? [`SELECT Id FROM PermissionSetAssignment WHERE Id IN ${inList(ids('set'))}`] : []),
  ];
  try {
    const [rows] = await readParts(conn, [{ queries, assemble: (r) => r.flat() }] as const);
    return new Set(rows.map((r) => id15(str(r, 'Id'))));
  } catch {
    return undefined;
  }
}

/** 1 refused or the deactivation failed, 68 some of the grants could not be removed (partial), else 0. */
export function deactivateExitCode(result: DeactivateResult): number {
  return result.status === 'failed' || result.status === 'refused' ? 1 : result.status === 'partial' ? 68 : 0;
}

/** 1 when the reactivation failed, else 0. */
export function reactivateExitCode(result: ReactivateResult): number {
  return result.status === 'failed' ? 1 : 0;
}

/** The start of a deactivate or reactivate result: the user, and IsActive as read (nothing written yet). */
function unchangedUser(user: LifecycleUser, dryRun: boolean | undefined) {
  return { username: user.username, userId: user.id, dryRun: dryRun === true, wasActive: user.isActive, isActive: user.isActive, status: 'unchanged' as const };
}

function seatNotes(user: LifecycleUser, grants: readonly GrantHeld[], removeGrants: boolean): string[] {
  const notes = [messages.getMessage('seat.userLicense', [user.userLicense ?? '?'])];
  const psls = grants.filter((g) => g.type === 'permissionSetLicense').map((g) => g.name);
  if (psls.length > 0) notes.push(messages.getMessage(removeGrants ? 'seat.pslRemoved' : 'seat.pslKept', [psls.join(', ')]));
  return notes;
}

export type ReactivateResult = {
  username: string;
  userId: string;
  dryRun: boolean;
  wasActive: boolean;
  isActive: boolean;
  status: 'reactivated' | 'unchanged' | 'wouldReactivate' | 'failed';
  seats: { license: string; total: number; used: number; available: number } | null;
  error?: string;
  writeRequests: number;
  /** Set when the reactivation's answer was lost: IsActive comes from a re-read (no `error` when it shows the change made). */
  interrupted?: Interrupted;
};

/** Reactivates when the user's license has a free seat (checked in the same read round trip). */
export async function reactivateUser(
  conn: OrgConnection,
  options: { username: string; dryRun?: boolean; allowNonIntegrationUser?: boolean }
): Promise<ReactivateResult> {
  const [, users, licenses] = await readParts(conn, [rightsRead(['write:User']), lifecycleUsersRead([options.username]), licensesRead()] as const);
  const [user] = await resolveUsers(conn, [options.username], users, options.allowNonIntegrationUser === true);
  const license = licenses.userLicenses.find((l) => sameId(l.id, String(user.userLicenseId)));
  const result: ReactivateResult = {
    ...unchangedUser(user, options.dryRun),
    seats: license ? { license: license.name, ...license.seats } : null,
    writeRequests: 0,
  };
  if (user.isActive) return result;
  if (!license || license.seats.available < 1) {
    throw messages.createError('error.NoSeat', [user.username, license?.name ?? '?', license?.seats.used ?? '?', license?.seats.total ?? '?']);
  }
  if (options.dryRun) return { ...result, status: 'wouldReactivate' };
  result.writeRequests++;
  try {
    await composite(conn, [{ method: 'PATCH', url: dataUrl(conn, `sobjects/User/${user.id}`), referenceId: 'user', body: { IsActive: true } }], { allOrNone: true }).then(assertOk);
    return { ...result, isActive: true, status: 'reactivated' };
  } catch (e) {
    const isActive = await reReadActive(conn, user.id, false);
    return {
      ...result,
      isActive,
      status: isActive ? 'reactivated' : 'failed',
      ...(isActive ? {} : { error: errorText(e) }),
      ...(answerLost(e) ? { interrupted: { reason: lostReason(e), complete: isActive } } : {}),
    };
  }
}

