/**
 * `integration user create`: one first read (the running user's rights, licenses, the target user with its
 * grants and fields, the running user, nicknames in use, the named sets and groups, the integration
 * profile: two composite requests), every problem at once, then one all-or-nothing write of the user and
 * its grants — or, for an existing integration user, of its missing grants (and, with updateFields, its
 * changed fields). A write whose answer is lost is followed by one re-read, and the result says what the
 * org holds.
 */
import { RequestError, requestErrorToSfError, type OrgConnection } from '../api.js';
import { INTEGRATION_USER_LICENSE } from '../constants.js';
import { licensesRead } from '../licenses.js';
import { assertIntegrationReady, orgRead, type OrgInfo } from '../org.js';
import { readParts } from '../read.js';
import { assertRights, needsOf, rightsRead } from '../rights.js';
import { candidatesRead, catalogRead, integrationProfileRead, type CandidateNames } from './catalog.js';
import { messages, problem } from './messages.js';
import { additions, type UserPlan } from './plan.js';
import { grantRows, rowsFromReread, type GrantRow } from './results.js';
import type { GrantNames, GrantType, Problem } from './types.js';
import {
  checkGivenFields,
  fieldDrift,
  givenUserFields,
  nameMatches,
  newUserFields,
  slug,
  userIdentity,
  userStateRead,
  type FieldDrift,
  type UserFieldInput,
  type UserFieldValue,
} from './userFields.js';
import { assertNoProblems, unresolvedNames, validateGrants, validateNewUser } from './validate.js';
import { UncertainWriteError, writeAssignments, writeExistingUser, writeNewUser, type UserWriteOutcome } from './write.js';

export type CreateInput = {
  user: UserFieldInput;
  grants: GrantNames;
  dryRun: boolean;
  /** For an existing user: write the given fields that differ from the org's (default: report them as drift). */
  updateFields?: boolean;
  /** How the caller named the org (the -o value or alias), for advice such as logging in again. */
  targetOrg?: string;
};

export type Change = { action: 'createUser' | 'assign' | 'updateField'; type: 'user' | 'field' | GrantType; name: string };

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
  /**
   * Existing user: each given field whose org value differs from the requested one. After a run with
   * updateFields, only the ones still different (none when the update was written).
   */
  fieldDrift: FieldDrift[];
  /** Fields this run wrote to an existing user (updateFields). */
  fieldsUpdated: string[];
  /**
   * The new user's User fields this run set (in a dry run: would set), defaults included: Username,
   * FirstName, LastName, Email, Alias, CommunityNickname, TimeZoneSidKey, LocaleSidKey, LanguageLocaleKey,
   * EmailEncodingKey and any field of the definition file (the profile is `profile`). Null for an existing user
   * (its given fields are compared in `fieldDrift`).
   */
  userFields: Record<string, UserFieldValue> | null;
  /**
   * Set when a write's answer was lost: the result comes from a re-read of the org. `complete`: everything
   * asked for is in place.
   */
  interrupted?: { reason: string; complete: boolean };
};

export type CreateWarning =
  | { kind: 'duplicate'; name: string }
  | { kind: 'inactive'; username: string }
  | { kind: 'legacyProfile'; username: string }
  | { kind: 'fieldDrift'; username: string; drift: FieldDrift[] }
  | { kind: 'interrupted'; username: string; reason: string; complete: boolean };

/** The result, the warnings to show, and the exit code (0, or 68 when a lost answer left part of the work undone). */
export type CreateOutcome = { result: IntegrationUserCreateResult; warnings: CreateWarning[]; exitCode: number };

/** What the first read found and validation decided: everything a write (or a dry run) needs. */
export type CreatePlan = {
  username: string;
  given: Record<string, UserFieldValue>;
  /** The new user's record (ProfileId included); undefined for an existing user. */
  fields: Record<string, UserFieldValue> | undefined;
  plan: UserPlan;
  drift: FieldDrift[];
  profileName: string;
  org: OrgInfo | undefined;
};

export async function createIntegrationUser(conn: OrgConnection, input: CreateInput): Promise<CreateOutcome> {
  try {
    return await createOrConverge(conn, input);
  } catch (e) {
    throw withOrgAdvice(e, input.targetOrg);
  }
}

async function createOrConverge(conn: OrgConnection, input: CreateInput): Promise<CreateOutcome> {
  const runningUsername = conn.getUsername() ?? '';
  const prepared = await prepareCreate(conn, input, runningUsername);
  const { plan, username, drift } = prepared;
  const existing = plan.user;
  const adds = additions(plan.grants);
  const warnings: CreateWarning[] = [];
  const updating = existing !== undefined && input.updateFields === true && drift.length > 0;
  let id = existing?.id ?? null;
  let outcome: UserWriteOutcome | undefined;
  let fieldsUpdated: string[] = [];
  if (!input.dryRun) {
    try {
      if (!existing) {
        const written = await writeNewUser(conn, { fields: prepared.fields ?? {}, grants: adds, usernameSuggestion: suggestUsername(username, prepared.org) }).catch(
          async (e: unknown) => {
            throw await explainNewUserError(conn, e, username, runningUsername);
          }
        );
        id = written.userId;
      } else if (updating) {
        const patch = Object.fromEntries(drift.map((d) => [d.field, d.requested]));
        const written = await asSfError(conn, () => writeExistingUser(conn, { userId: existing.id, username, grants: adds }, patch));
        if (written.fieldError) {
          throw messages.createError('error.UpdateFieldsFailed', [username, written.fieldError.errorCode, written.fieldError.message]);
        }
        outcome = written.outcome;
        fieldsUpdated = written.fieldsWritten ? drift.map((d) => d.field) : [];
        assertConverged(username, outcome);
      } else if (adds.length > 0) {
        const written = await asSfError(conn, () => writeAssignments(conn, [{ userId: existing.id, username, grants: adds }]));
        outcome = written.outcomes[0];
        assertConverged(username, outcome);
      }
    } catch (e) {
      if (e instanceof UncertainWriteError) return afterLostAnswer(conn, input, prepared, runningUsername, e);
      throw e;
    }
    warnings.push(...(outcome?.duplicates ?? []).map((g) => ({ kind: 'duplicate' as const, name: g.name })));
  }
  if (existing && !existing.isActive) warnings.push({ kind: 'inactive', username });
  if (existing?.isLegacyProfile && !existing.isIntegrationLicense) warnings.push({ kind: 'legacyProfile', username });
  const remainingDrift = drift.filter((d) => !fieldsUpdated.includes(d.field));
  if (remainingDrift.length > 0 && !(input.dryRun && input.updateFields)) warnings.push({ kind: 'fieldDrift', username, drift: remainingDrift });

  const rows = grantRows(plan.grants, outcome, input.dryRun);
  const changes: Change[] = [
    ...(existing ? [] : [{ action: 'createUser' as const, type: 'user' as const, name: username }]),
    ...(input.dryRun && updating ? drift : existing ? drift.filter((d) => fieldsUpdated.includes(d.field)) : []).map((d) => ({
      action: 'updateField' as const,
      type: 'field' as const,
      name: d.field,
    })),
    ...rows.filter((r) => r.status === 'added' || r.status === 'toAdd').map((r) => ({ action: 'assign' as const, type: r.type, name: r.name })),
  ];
  const email = fieldsUpdated.includes('Email') ? String(prepared.given.Email) : existing?.email ?? String(prepared.fields?.Email ?? '');
  return {
    result: {
      ...summary(prepared, rows, email),
      id,
      created: !existing && !input.dryRun,
      dryRun: input.dryRun,
      changes,
      fieldDrift: input.dryRun ? drift : remainingDrift,
      fieldsUpdated,
      userFields: existing ? null : shownUserFields(prepared.fields),
    },
    warnings,
    exitCode: 0,
  };
}

/**
 * The first read and every check before a write: exported for `apply`, which plans many integrations with
 * the same rules. Throws one error listing every problem (or the missing rights) when something is wrong.
 */
export async function prepareCreate(conn: OrgConnection, input: CreateInput, runningUsername: string): Promise<CreatePlan> {
  const identity = userIdentity(input.user, runningUsername);
  const given = givenUserFields(input.user);
  const { username } = identity;
  // The most this run may write (a new user, its API Integration PSL, the sets and groups asked for): a missing
  // read refuses at once naming these writes too; the exact writes are checked once the plan is known.
  const mostNeeds = needsOf('create', { permissionSets: input.grants.permissionSets.length + input.grants.permissionSetGroups.length > 0, permissionSetLicenses: true });
  const [rights, licenses, state, catalog, profile] = await readParts(conn, [
    rightsRead(mostNeeds, { runningUsername, writes: true, refuseOnReads: true }),
    licensesRead(),
    userStateRead({ usernames: [username], runningUsername, nicknames: [identity.nickname], fields: Object.keys(given) }),
    catalogRead(input.grants),
    integrationProfileRead(),
  ] as const);
  // The license is the decisive check; the edition only words the error, so it is read only then.
  let org: OrgInfo | undefined;
  if (licenses.integrationLicense?.status !== 'Active') {
    [org] = await readParts(conn, [orgRead()] as const);
    assertIntegrationReady(org, licenses);
  }
  const candidates = await readCandidates(conn, unresolvedNames(catalog, input.grants));
  const existing = identity.username ? state.users.find((u) => u.username.toLowerCase() === username) : undefined;
  const row = existing ? state.rows.get(username) : undefined;
  const built = newUserFields(identity, input.user, state.runningUser, state.takenNicknames);
  const { problems, plans } = validateGrants({
    mode: 'create',
    licenses,
    catalog,
    candidates,
    wanted: input.grants,
    targets: [{ username, user: existing }],
  });
  const userProblems: Problem[] = [];
  if (existing) {
    userProblems.push(...identity.problems);
    if (!identity.explicitUsername && (existing.isIntegrationLicense || existing.isLegacyProfile) && !nameMatches(existing, row, identity.name)) {
      userProblems.push(problem('UsernameOfAnotherIntegration', [username, existing.name, identity.name ?? ''], [existing.name]));
    }
    if (input.updateFields) userProblems.push(...checkGivenFields(given));
  }
  assertNoProblems([
    ...validateNewUser({ licenses, profile, needsSeat: !existing, fieldProblems: existing ? [] : built.problems }),
    ...userProblems,
    ...problems,
  ]);
  const plan = plans[0];
  const drift = existing && row ? fieldDrift(given, row) : [];
  // The writes this run will make, known now: refuse before any of them when the running user may not.
  const adds = additions(plan.grants);
  const needs = needsOf('create', {
    permissionSets: adds.some((g) => g.type !== 'permissionSetLicense'),
    permissionSetLicenses: adds.some((g) => g.type === 'permissionSetLicense'),
    userRecord: !existing || (input.updateFields === true && drift.length > 0),
  });
  assertRights(rights, needs.required, runningUsername);
  return {
    username,
    given,
    fields: existing ? undefined : { ...built.fields, ProfileId: profile?.id ?? null },
    plan,
    drift,
    profileName: existing?.profileName ?? profile?.name ?? '',
    org,
  };
}

/** The converge write failed on a grant (definite answer): say what was and wasn't written. */
function assertConverged(username: string, outcome: UserWriteOutcome): void {
  if (outcome.failed.length === 0) return;
  const failure = outcome.failed[0];
  const state =
    outcome.added.length > 0
      ? messages.getMessage('state.PartlyWritten', [
          outcome.added.map((g) => g.name).join(', '),
          [...outcome.failed.map((f) => f.grant), ...outcome.notWritten].map((g) => g.name).join(', '),
        ])
      : messages.getMessage('state.NothingWritten');
  throw messages.createError('error.ConvergeFailed', [username, failure.grant.name, failure.errorCode, failure.message, state]);
}

/** The order a new user's fields are shown in (then any other field of the definition file, by name). */
export const SHOWN_USER_FIELDS = [
  'Username', 'FirstName', 'LastName', 'Email', 'Alias', 'CommunityNickname', 'TimeZoneSidKey', 'LocaleSidKey', 'LanguageLocaleKey', 'EmailEncodingKey',
] as const;

/** The new user's fields in the order shown, without ProfileId (the result names the profile). */
function shownUserFields(fields: Record<string, UserFieldValue> | undefined): Record<string, UserFieldValue> {
  const all = fields ?? {};
  const rank = (k: string): number => {
    const i = (SHOWN_USER_FIELDS as readonly string[]).indexOf(k);
    return i < 0 ? SHOWN_USER_FIELDS.length : i;
  };
  const keys = Object.keys(all)
    .filter((k) => k !== 'ProfileId' && all[k] !== undefined)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(keys.map((k) => [k, all[k]]));
}

function summary(prepared: CreatePlan, rows: GrantRow[], email: string): Omit<IntegrationUserCreateResult, 'id' | 'created' | 'dryRun' | 'changes' | 'fieldDrift' | 'fieldsUpdated' | 'userFields'> {
  const existing = prepared.plan.user;
  const held = (type: GrantType, before: Array<{ name: string }>): string[] =>
    [...new Set([...before.map((g) => g.name), ...rows.filter((r) => r.type === type && r.status !== 'failed' && r.status !== 'notWritten').map((r) => r.name)])].sort();
  return {
    username: existing?.username ?? prepared.username,
    email,
    profile: prepared.profileName,
    userLicense: existing?.userLicense ?? INTEGRATION_USER_LICENSE,
    permissionSetLicenses: held('permissionSetLicense', existing?.permissionSetLicenses ?? []),
    permissionSets: held('permissionSet', existing?.permissionSets ?? []),
    permissionSetGroups: held('permissionSetGroup', existing?.permissionSetGroups ?? []),
    grants: rows,
  };
}

/**
 * A write's answer was lost: one re-read of the user (its record, fields and grants), and a result that
 * says exactly what the org holds. Nothing there → an error (exit 1) that says so; everything → exit 0;
 * part → exit 68. Either way a re-run converges.
 */
async function afterLostAnswer(
  conn: OrgConnection,
  input: CreateInput,
  prepared: CreatePlan,
  runningUsername: string,
  lost: UncertainWriteError
): Promise<CreateOutcome> {
  const { username, plan, given, drift } = prepared;
  const [state] = await readParts(conn, [userStateRead({ usernames: [username], runningUsername, fields: Object.keys(given) })] as const);
  const user = state.users.find((u) => u.username.toLowerCase() === username);
  const rows = rowsFromReread(plan.grants, user);
  const row = state.rows.get(username);
  const wantedFields = input.updateFields && plan.user ? drift.map((d) => d.field) : [];
  const driftNow = row ? fieldDrift(given, row) : [];
  const fieldsUpdated = wantedFields.filter((f) => !driftNow.some((d) => d.field === f));
  const createdNow = !plan.user && user !== undefined;
  const addedNow = rows.filter((r) => r.status === 'added');
  const missing = rows.filter((r) => r.status === 'notWritten');
  if (!createdNow && addedNow.length === 0 && fieldsUpdated.length === 0) {
    throw messages.createError('error.AnswerLostNothingWritten', [lost.reason, username]);
  }
  const complete = (plan.user !== undefined || createdNow) && missing.length === 0 && fieldsUpdated.length === wantedFields.length;
  const base = summary({ ...prepared, plan: { ...plan, user: user ?? plan.user } }, rows, user?.email ?? '');
  return {
    result: {
      ...base,
      id: user?.id ?? null,
      created: createdNow,
      dryRun: false,
      changes: [
        ...(createdNow ? [{ action: 'createUser' as const, type: 'user' as const, name: username }] : []),
        ...fieldsUpdated.map((f) => ({ action: 'updateField' as const, type: 'field' as const, name: f })),
        ...addedNow.map((r) => ({ action: 'assign' as const, type: r.type, name: r.name })),
      ],
      fieldDrift: driftNow,
      fieldsUpdated,
      userFields: createdNow ? shownUserFields(prepared.fields) : null,
      interrupted: { reason: lost.reason, complete },
    },
    warnings: [{ kind: 'interrupted', username, reason: lost.reason, complete }],
    exitCode: complete ? 0 : 68,
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

function suggestUsername(username: string, org: OrgInfo | undefined): string {
  const at = username.lastIndexOf('@');
  const kind = org?.kind ?? 'production';
  const suffix = slug(kind === 'production' ? org?.name || 'prod' : kind).split('.')[0] || 'int';
  return `${username.slice(0, at)}.${suffix}${username.slice(at)}`;
}

/**
 * A refused insert of the new user (nothing was written: the composite is all-or-nothing). DUPLICATE_USERNAME
 * means another org has the username — or this one, when a concurrent run created it meanwhile: one read
 * (only on this path) tells which.
 */
async function explainNewUserError(conn: OrgConnection, e: unknown, username: string, runningUsername: string): Promise<unknown> {
  if (e instanceof UncertainWriteError) return e;
  const code = (e as { name?: string }).name;
  if (code === 'DuplicateUsernameError') {
    const [state, org] = await readParts(conn, [userStateRead({ usernames: [username], runningUsername }), orgRead()] as const);
    if (state.users.some((u) => u.username.toLowerCase() === username)) return messages.createError('error.CreatedMeanwhile', [username]);
    return messages.createError('error.DuplicateUsername', [username], [suggestUsername(username, org)]);
  }
  if (e instanceof RequestError) return requestErrorToSfError(conn, e);
  return e;
}

/** Network/HTTP failures of a write, as actionable SfErrors (writes are never retried; uncertain ones are re-read). */
export async function asSfError<T>(conn: OrgConnection, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (e instanceof RequestError) throw requestErrorToSfError(conn, e);
    throw e;
  }
}

/** Session advice names the org as the caller named it (the -o alias), not the running username. */
export function withOrgAdvice(e: unknown, targetOrg: string | undefined): unknown {
  const name = (e as { name?: string }).name;
  if (targetOrg && (name === 'SessionExpiredError' || name === 'WriteSessionExpiredError')) {
    return messages.createError(name === 'SessionExpiredError' ? 'error.SessionExpired' : 'error.WriteSessionExpired', [targetOrg], [targetOrg]);
  }
  return e;
}
