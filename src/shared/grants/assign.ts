/**
 * `integration user assign`: the same validation as `create` (plus the running user's rights, inactive and
 * frozen users) in one first read, then only the missing grants of every user, PSLs first, in as few
 * requests as the limits allow; one user's failure doesn't block the others. A write whose answer is lost
 * is followed by one re-read, and each user's result says what the org holds.
 */
import type { OrgConnection } from '../api.js';
import { licensesRead } from '../licenses.js';
import { readParts, type ReadPart } from '../read.js';
import { assertRights, needsOf, rightsRead } from '../rights.js';
import { usersRead, type UserWithGrants } from '../users.js';
import { catalogRead } from './catalog.js';
import { asSfError, readCandidates, withOrgAdvice } from './create.js';
import { problem } from './messages.js';
import { additions, type UserPlan } from './plan.js';
import { grantRows, rowsFromReread, toExitCode, type GrantRow } from './results.js';
import type { GrantNames, Problem } from './types.js';
import { assertNoProblems, unresolvedNames, validateGrants } from './validate.js';
import { UncertainWriteError, writeAssignments, type AssignWritten } from './write.js';

export type AssignInput = {
  usernames: string[];
  grants: GrantNames;
  dryRun: boolean;
  allowNonIntegrationUser: boolean;
  /** Also assign to inactive users (with a warning); refused otherwise. */
  allowInactive?: boolean;
  /** How the caller named the org (the -o value or alias), for advice such as logging in again. */
  targetOrg?: string;
};

export type UserAssignResult = {
  username: string;
  userId: string;
  /**
   * `updated`: grants added; `unchanged`: it already held everything; `planned`: dry run;
   * `partial`: some grants added, some failed or not written; `failed`: nothing added.
   */
  status: 'updated' | 'unchanged' | 'planned' | 'partial' | 'failed';
  grants: GrantRow[];
};

export type IntegrationUserAssignResult = {
  dryRun: boolean;
  users: UserAssignResult[];
  /** Every grant Salesforce refused, one entry per user and grant. */
  failures: Array<{ username: string; name: string; message: string }>;
  /**
   * Set when a write's answer was lost: the users' grants come from a re-read of the org. `complete`:
   * everything asked for is in place.
   */
  interrupted?: { reason: string; complete: boolean };
};

export type AssignWarning =
  | { kind: 'duplicate'; username: string; name: string }
  | { kind: 'inactive'; username: string }
  | { kind: 'frozen'; username: string }
  | { kind: 'frozenUnknown' }
  | { kind: 'interrupted'; reason: string; complete: boolean };

export type AssignOutcome = { result: IntegrationUserAssignResult; warnings: AssignWarning[]; exitCode: number };

/** Input problems found without the org: nothing to assign, a comma inside a name. */
export function assignInputProblems(grants: GrantNames): Problem[] {
  const all = [...grants.permissionSetLicenses, ...grants.permissionSets, ...grants.permissionSetGroups];
  const problems: Problem[] = [];
  if (all.length === 0) problems.push(problem('NothingToAssign'));
  for (const name of all.filter((n) => n.includes(','))) problems.push(problem('CommaInName', [name]));
  return problems;
}

/** The users with their grants and frozen state; the frozen state (UserLogin, Manage Users) is optional. */
function assigneesRead(usernames: readonly string[]): ReadPart<{ users: UserWithGrants[]; frozenKnown: boolean }> {
  const part = usersRead({ kind: 'usernames', usernames });
  return {
    queries: part.queries,
    optional: [3],
    assemble(rows, failures) {
      return { users: part.assemble(rows), frozenKnown: !failures?.[3] };
    },
  };
}

export async function assignGrants(conn: OrgConnection, input: AssignInput): Promise<AssignOutcome> {
  try {
    return await assign(conn, input);
  } catch (e) {
    throw withOrgAdvice(e, input.targetOrg);
  }
}

async function assign(conn: OrgConnection, input: AssignInput): Promise<AssignOutcome> {
  assertNoProblems(assignInputProblems(input.grants));
  const usernames = [...new Set(input.usernames.map((u) => u.trim()).filter(Boolean))];
  const runningUsername = conn.getUsername();
  // The writes the input asks for (sets and groups, PSLs): a missing read refuses at once naming these writes
  // too; the exact writes (e.g. a PSL a set needs, or none when users hold everything) are checked once the plan is known.
  const mostNeeds = needsOf('assign', {
    permissionSets: input.grants.permissionSets.length + input.grants.permissionSetGroups.length > 0,
    permissionSetLicenses: input.grants.permissionSetLicenses.length > 0,
  });
  const [rights, licenses, assignees, catalog] = await readParts(conn, [
    rightsRead(mostNeeds, { runningUsername, writes: true, refuseOnReads: true }),
    licensesRead(),
    assigneesRead(usernames),
    catalogRead(input.grants),
  ] as const);
  const candidates = await readCandidates(conn, unresolvedNames(catalog, input.grants));
  const byName = new Map(assignees.users.map((u) => [u.username.toLowerCase(), u]));
  const { problems, plans } = validateGrants({
    mode: 'assign',
    licenses,
    catalog,
    candidates,
    wanted: input.grants,
    targets: usernames.map((username) => ({ username, user: byName.get(username.toLowerCase()) })),
    allowNonIntegrationUser: input.allowNonIntegrationUser,
  });
  const warnings: AssignWarning[] = [];
  const userProblems: Problem[] = [];
  for (const plan of plans) {
    if (plan.user && !plan.user.isActive) {
      if (input.allowInactive) warnings.push({ kind: 'inactive', username: plan.user.username });
      else userProblems.push(problem('InactiveUser', [plan.user.username]));
    }
    if (plan.user?.isFrozen) warnings.push({ kind: 'frozen', username: plan.user.username });
  }
  if (!assignees.frozenKnown) warnings.push({ kind: 'frozenUnknown' });
  assertNoProblems([...userProblems, ...problems]);

  const writes = plans.map((p) => ({ userId: p.user?.id ?? '', username: p.user?.username ?? p.username, grants: additions(p.grants) }));
  const needs = needsOf('assign', {
    permissionSets: writes.some((w) => w.grants.some((g) => g.type !== 'permissionSetLicense')),
    permissionSetLicenses: writes.some((w) => w.grants.some((g) => g.type === 'permissionSetLicense')),
  });
  assertRights(rights, needs.required, runningUsername);

  let written: AssignWritten | undefined;
  if (!input.dryRun && writes.some((w) => w.grants.length > 0)) {
    try {
      written = await asSfError(conn, () => writeAssignments(conn, writes));
    } catch (e) {
      if (e instanceof UncertainWriteError) return afterLostAnswer(conn, plans, usernames, e, warnings);
      throw e;
    }
  }
  const failures: IntegrationUserAssignResult['failures'] = [];
  const results = plans.map((plan, i): UserAssignResult => {
    const outcome = written?.outcomes.find((o) => o.userId === writes[i].userId);
    const grants = grantRows(plan.grants, outcome, input.dryRun);
    const username = writes[i].username;
    for (const d of outcome?.duplicates ?? []) warnings.push({ kind: 'duplicate', username, name: d.name });
    for (const f of outcome?.failed ?? []) failures.push({ username, name: f.grant.name, message: `${f.errorCode}: ${f.message}` });
    return { username, userId: writes[i].userId, status: input.dryRun ? 'planned' : statusOf(grants), grants };
  });
  const result = { dryRun: input.dryRun, users: results, failures };
  return { result, warnings, exitCode: toExitCode(result) };
}

function statusOf(grants: readonly GrantRow[]): UserAssignResult['status'] {
  const added = grants.some((g) => g.status === 'added');
  const failed = grants.some((g) => g.status === 'failed' || g.status === 'notWritten');
  if (failed) return added ? 'partial' : 'failed';
  return added ? 'updated' : 'unchanged';
}

/** A write's answer was lost: one re-read of every user's grants, and each user's result from what the org holds. */
async function afterLostAnswer(
  conn: OrgConnection,
  plans: readonly UserPlan[],
  usernames: readonly string[],
  lost: UncertainWriteError,
  warnings: AssignWarning[]
): Promise<AssignOutcome> {
  const [now] = await readParts(conn, [assigneesRead(usernames)] as const);
  const byId = new Map(now.users.map((u) => [u.id, u]));
  const users = plans.map((plan): UserAssignResult => {
    const user = plan.user ? byId.get(plan.user.id) : undefined;
    const grants = rowsFromReread(plan.grants, user);
    return { username: plan.user?.username ?? plan.username, userId: plan.user?.id ?? '', status: statusOf(grants), grants };
  });
  const complete = users.every((u) => u.status === 'updated' || u.status === 'unchanged');
  const result: IntegrationUserAssignResult = { dryRun: false, users, failures: [], interrupted: { reason: lost.reason, complete } };
  return { result, warnings: [...warnings, { kind: 'interrupted', reason: lost.reason, complete }], exitCode: toExitCode(result) };
}
