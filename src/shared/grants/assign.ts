/**
 * `integration user assign`: the same validation as `create`, then only the missing grants of every user,
 * PSLs first, in as few requests as the limits allow; one user's failure doesn't block the others.
 */
import type { OrgConnection } from '../api.js';
import { licensesRead } from '../licenses.js';
import { readParts } from '../read.js';
import { usersRead } from '../users.js';
import { catalogRead } from './catalog.js';
import { asSfError, readCandidates } from './create.js';
import { additions } from './plan.js';
import { grantRows, type GrantRow } from './results.js';
import type { GrantNames } from './types.js';
import { assertNoProblems, unresolvedNames, validateGrants } from './validate.js';
import { writeAssignments } from './write.js';

export type AssignInput = { usernames: string[]; grants: GrantNames; dryRun: boolean; allowNonIntegrationUser: boolean };

export type UserAssignResult = {
  username: string;
  userId: string;
  /**
   * `updated`: grants added; `unchanged`: it already held everything; `planned`: dry run;
   * `partial`: some grants added, some failed; `failed`: nothing added.
   */
  status: 'updated' | 'unchanged' | 'planned' | 'partial' | 'failed';
  grants: GrantRow[];
};

export type IntegrationUserAssignResult = {
  dryRun: boolean;
  users: UserAssignResult[];
  /** Every grant Salesforce refused, one entry per user and grant. */
  failures: Array<{ username: string; name: string; message: string }>;
};

export type AssignOutcome = { result: IntegrationUserAssignResult; warnings: Array<{ kind: 'duplicate'; username: string; name: string }> };

export async function assignGrants(conn: OrgConnection, input: AssignInput): Promise<AssignOutcome> {
  const usernames = [...new Set(input.usernames.map((u) => u.trim()).filter(Boolean))];
  const [licenses, users, catalog] = await readParts(conn, [
    licensesRead(),
    usersRead({ kind: 'usernames', usernames }),
    catalogRead(input.grants),
  ] as const);
  const candidates = await readCandidates(conn, unresolvedNames(catalog, input.grants));
  const byName = new Map(users.map((u) => [u.username.toLowerCase(), u]));
  const { problems, plans } = validateGrants({
    mode: 'assign',
    licenses,
    catalog,
    candidates,
    wanted: input.grants,
    targets: usernames.map((username) => ({ username, user: byName.get(username.toLowerCase()) })),
    allowNonIntegrationUser: input.allowNonIntegrationUser,
  });
  assertNoProblems(problems);

  const writes = plans.map((p) => ({ userId: p.user?.id ?? '', username: p.user?.username ?? p.username, grants: additions(p.grants) }));
  const written = input.dryRun || writes.every((w) => w.grants.length === 0) ? undefined : await asSfError(conn, () => writeAssignments(conn, writes));
  const warnings: AssignOutcome['warnings'] = [];
  const failures: IntegrationUserAssignResult['failures'] = [];
  const results = plans.map((plan, i): UserAssignResult => {
    const outcome = written?.outcomes.find((o) => o.userId === writes[i].userId);
    const grants = grantRows(plan.grants, outcome, input.dryRun);
    const username = writes[i].username;
    for (const d of outcome?.duplicates ?? []) warnings.push({ kind: 'duplicate', username, name: d.name });
    for (const f of outcome?.failed ?? []) failures.push({ username, name: f.grant.name, message: `${f.errorCode}: ${f.message}` });
    const added = grants.some((g) => g.status === 'added');
    const failed = grants.some((g) => g.status === 'failed' || g.status === 'notWritten');
    const status = input.dryRun
      ? 'planned'
      : failed
        ? added
          ? 'partial'
          : 'failed'
        : added
          ? 'updated'
          : 'unchanged';
    return { username, userId: writes[i].userId, status, grants };
  });
  return { result: { dryRun: input.dryRun, users: results, failures }, warnings };
}
