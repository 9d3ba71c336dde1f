/**
 * `integration user create`: validate everything (reads batched into composite requests), then write the
 * user and its grants all-or-nothing, or converge on an existing integration user.
 */
import { requestErrorToSfError, RequestError, type OrgConnection } from '../api.js';
import { INTEGRATION_USER_LICENSE } from '../constants.js';
import { licensesRead } from '../licenses.js';
import { assertIntegrationReady, orgRead, type OrgInfo } from '../org.js';
import { readParts } from '../read.js';
import { usersRead } from '../users.js';
import { candidatesRead, catalogRead, createContextRead, type CandidateNames } from './catalog.js';
import { messages } from './messages.js';
import { additions } from './plan.js';
import { grantRows, type GrantRow } from './results.js';
import type { GrantNames, GrantType } from './types.js';
import { deriveUsername, newUserFields, slug, type UserFieldInput } from './userFields.js';
import { assertNoProblems, unresolvedNames, validateGrants, validateNewUser } from './validate.js';
import { writeAssignments, writeNewUser, type UserWriteOutcome } from './write.js';

export type CreateInput = { user: UserFieldInput; grants: GrantNames; dryRun: boolean };

export type Change = { action: 'createUser' | 'assign'; type: 'user' | GrantType; name: string };

export type IntegrationUserCreateResult = {
  /** User Id; null in a dry run of a user that doesn't exist yet. */
  id: string | null;
  username: string;
  email: string;
  profile: string;
  userLicense: string;
  /** Permission set license DeveloperNames the user holds after the run (or would, in a dry run). */
  permissionSetLicenses: string[];
  /** Permission set Names the user holds after the run (or would). */
  permissionSets: string[];
  /** Permission set group DeveloperNames the user holds after the run (or would). */
  permissionSetGroups: string[];
  /** True when this run created the user (false: it already existed, or dry run). */
  created: boolean;
  dryRun: boolean;
  /** What this run changed (in a dry run: what it would change). */
  changes: Change[];
  /** Every requested grant with its status. */
  grants: GrantRow[];
};

export type CreateOutcome = { result: IntegrationUserCreateResult; warnings: CreateWarning[] };
export type CreateWarning =
  | { kind: 'duplicate'; name: string }
  | { kind: 'inactive'; username: string }
  | { kind: 'legacyProfile'; username: string };

export async function createIntegrationUser(conn: OrgConnection, input: CreateInput): Promise<CreateOutcome> {
  const runningUsername = conn.getUsername() ?? '';
  const name = input.user.name ?? input.user.lastName ?? (input.user.fileFields?.LastName as string | undefined) ?? '';
  const username = (input.user.username ?? (input.user.fileFields?.Username as string | undefined) ?? deriveUsername(name, runningUsername))
    .trim()
    .toLowerCase();
  const [org, licenses, users, catalog, context] = await readParts(conn, [
    orgRead(),
    licensesRead(),
    usersRead({ kind: 'usernames', usernames: [username] }),
    catalogRead(input.grants),
    createContextRead(runningUsername),
  ] as const);
  assertIntegrationReady(org, licenses);
  const candidates = await readCandidates(conn, unresolvedNames(catalog, input.grants));
  const existing = users.find((u) => u.username.toLowerCase() === username);
  const { fields, problems: fieldProblems } = newUserFields({ ...input.user, username }, context.runningUser, runningUsername);
  const { problems, plans } = validateGrants({ mode: 'create', licenses, catalog, candidates, wanted: input.grants, targets: [{ username, user: existing }] });
  assertNoProblems([
    ...validateNewUser({ licenses, context, needsSeat: !existing, fieldProblems: existing ? [] : fieldProblems }),
    ...problems,
  ]);

  const plan = plans[0];
  const adds = additions(plan.grants);
  const warnings: CreateWarning[] = [];
  let id = existing?.id ?? null;
  let outcome: UserWriteOutcome | undefined;
  if (!input.dryRun && !existing) {
    const written = await asSfError(conn, () =>
      writeNewUser(conn, {
        fields: { ...fields, ProfileId: context.profile?.id },
        grants: adds,
        usernameSuggestion: suggestUsername(username, org),
      })
    );
    id = written.userId;
  } else if (!input.dryRun && existing && adds.length > 0) {
    const written = await asSfError(conn, () => writeAssignments(conn, [{ userId: existing.id, username, grants: adds }]));
    outcome = written.outcomes[0];
    if (outcome.failed.length > 0) {
      const failure = outcome.failed[0];
      const state =
        outcome.added.length > 0
          ? messages.getMessage('state.PartlyWritten', [outcome.added.map((g) => g.name).join(', '), [...outcome.failed.map((f) => f.grant), ...outcome.notWritten].map((g) => g.name).join(', ')])
          : messages.getMessage('state.NothingWritten');
      throw messages.createError('error.ConvergeFailed', [username, failure.grant.name, failure.errorCode, failure.message, state]);
    }
    warnings.push(...outcome.duplicates.map((g) => ({ kind: 'duplicate' as const, name: g.name })));
  }
  if (existing && !existing.isActive) warnings.push({ kind: 'inactive', username });
  if (existing?.isLegacyProfile && !existing.isIntegrationLicense) warnings.push({ kind: 'legacyProfile', username });

  const rows = grantRows(plan.grants, outcome, input.dryRun);
  const held = (type: GrantType, before: Array<{ name: string }>): string[] =>
    [...new Set([...before.map((g) => g.name), ...rows.filter((r) => r.type === type && r.status !== 'failed' && r.status !== 'notWritten').map((r) => r.name)])].sort();
  const changes: Change[] = [
    ...(existing ? [] : [{ action: 'createUser' as const, type: 'user' as const, name: username }]),
    ...rows.filter((r) => r.status === 'added' || r.status === 'toAdd').map((r) => ({ action: 'assign' as const, type: r.type, name: r.name })),
  ];
  return {
    result: {
      id,
      username: existing?.username ?? username,
      email: existing?.email ?? fields.Email,
      profile: existing?.profileName ?? context.profile?.name ?? '',
      userLicense: existing?.userLicense ?? INTEGRATION_USER_LICENSE,
      permissionSetLicenses: held('permissionSetLicense', existing?.permissionSetLicenses ?? []),
      permissionSets: held('permissionSet', existing?.permissionSets ?? []),
      permissionSetGroups: held('permissionSetGroup', existing?.permissionSetGroups ?? []),
      created: !existing && !input.dryRun,
      dryRun: input.dryRun,
      changes,
      grants: rows,
    },
    warnings,
  };
}

/** Reads every set and group name, only when some asked-for name doesn't exist (for "did you mean"). */
export async function readCandidates(
  conn: OrgConnection,
  missing: { permissionSets: string[]; permissionSetGroups: string[] }
): Promise<CandidateNames | undefined> {
  if (missing.permissionSets.length + missing.permissionSetGroups.length === 0) return undefined;
  const [candidates] = await readParts(conn, [candidatesRead()] as const);
  return candidates;
}

function suggestUsername(username: string, org: OrgInfo): string {
  const at = username.lastIndexOf('@');
  const suffix = slug(org.kind === 'production' ? org.name || 'prod' : org.kind).split('.')[0] || 'int';
  return `${username.slice(0, at)}.${suffix}${username.slice(at)}`;
}

/** Network/HTTP failures of a write, as actionable SfErrors (writes are never retried). */
export async function asSfError<T>(conn: OrgConnection, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (e instanceof RequestError) throw requestErrorToSfError(conn, e);
    throw e;
  }
}
