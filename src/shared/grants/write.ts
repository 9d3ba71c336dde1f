/**
 * Writes: the new user with its grants in one all-or-nothing composite request (fallback when the platform
 * refuses the mix: the user, then its assignments all-or-nothing, and on failure the user is deactivated),
 * and grants for existing users in as few requests as the limits allow, PSLs always before the sets.
 * Writes are never retried.
 */
import type { SfError } from '@salesforce/core';
import {
  collection,
  composite,
  dataUrl,
  firstError,
  isUncertain,
  MAX_COLLECTION_RECORDS,
  MAX_COMPOSITE_SUBREQUESTS,
  type CollectionItem,
  type OrgConnection,
  type PlatformError,
  type SubRequest,
  type SubResponse,
} from '../api.js';
import { str } from '../read.js';
import { chunk } from '../soql.js';
import { messages } from './messages.js';
import type { ResolvedGrant } from './types.js';

export const MIXED_DML = 'MIXED_DML_OPERATION';
const DUPLICATE = 'DUPLICATE_VALUE';
const HALTED = new Set(['PROCESSING_HALTED', 'ALL_OR_NONE_OPERATION_ROLLED_BACK']);

type AssignmentRecord = { attributes: { type: string } } & Record<string, unknown>;

/**
 * A write request failed without a definite answer from the org (dropped connection, timeout, 5xx without
 * a platform error body): it may or may not have committed. Nothing after it was sent. Callers re-read the
 * org and report what it holds; they never say that nothing was written.
 */
export class UncertainWriteError extends Error {
  public constructor(public readonly reason: string, public readonly userId?: string) {
    super(`the org did not answer a write (${reason})`);
    this.name = 'UncertainWriteError';
  }
}

const reasonOf = (e: unknown): string => (e as { errorCode?: string }).errorCode ?? (e as Error).message ?? String(e);

/** Runs one write request; an uncertain failure becomes an UncertainWriteError (with the user's Id when known). */
async function sendWrite<T>(write: () => Promise<T>, userId?: string): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isUncertain(e)) throw new UncertainWriteError(reasonOf(e), userId);
    throw e;
  }
}

/** The assignment record granting `grant` to `assigneeId` (an Id or a composite reference). */
export function assignmentRecord(grant: ResolvedGrant, assigneeId: string): AssignmentRecord {
  switch (grant.type) {
    case 'permissionSetLicense':
      return { attributes: { type: 'PermissionSetLicenseAssign' }, AssigneeId: assigneeId, PermissionSetLicenseId: grant.id };
    case 'permissionSet':
      return { attributes: { type: 'PermissionSetAssignment' }, AssigneeId: assigneeId, PermissionSetId: grant.id };
    default:
      return { attributes: { type: 'PermissionSetAssignment' }, AssigneeId: assigneeId, PermissionSetGroupId: grant.id };
  }
}

function postSub(conn: OrgConnection, record: AssignmentRecord, referenceId: string): SubRequest {
  const { attributes, ...body } = record;
  return { method: 'POST', url: dataUrl(conn, `sobjects/${attributes.type}`), referenceId, body };
}

const ok = (r: SubResponse): boolean => r.httpStatusCode < 300;

/** The failing subrequest of an all-or-none composite: the first error that isn't "halted because of another". */
function culprit(responses: readonly SubResponse[]): { index: number; error: PlatformError } {
  let fallback: { index: number; error: PlatformError } | undefined;
  for (const [index, response] of responses.entries()) {
    if (ok(response)) continue;
    const error = firstError(response.body);
    if (!HALTED.has(error.errorCode)) return { index, error };
    fallback ??= { index, error };
  }
  return fallback ?? { index: -1, error: { errorCode: 'UNKNOWN_ERROR', message: 'composite request failed' } };
}

export type NewUserWrite = {
  /** The User record, ProfileId included. */
  fields: Record<string, unknown>;
  /** The grants to add, in write order (PSLs first). */
  grants: ResolvedGrant[];
  /** For the DUPLICATE_USERNAME advice. */
  usernameSuggestion: string;
};

export type NewUserWritten = {
  userId: string;
  /** `composite`: one all-or-nothing request; `separate`: the user, then its assignments (the platform refused the mix). */
  mode: 'composite' | 'separate';
  /** HTTP write requests made. */
  writeRequests: number;
};

/** Creates the user and its grants, all or nothing; throws an SfError saying exactly what state is left. */
export async function writeNewUser(conn: OrgConnection, write: NewUserWrite): Promise<NewUserWritten> {
  const userSub: SubRequest = { method: 'POST', url: dataUrl(conn, 'sobjects/User'), referenceId: 'newUser', body: write.fields };
  if (write.grants.length + 1 <= MAX_COMPOSITE_SUBREQUESTS) {
    const subs = [userSub, ...write.grants.map((g, i) => postSub(conn, assignmentRecord(g, '@{newUser.id}'), `grant${i}`))];
    const responses = await sendWrite(() => composite(conn, subs, { allOrNone: true }));
    if (responses.every(ok)) {
      return { userId: str(responses[0].body, 'id'), mode: 'composite', writeRequests: 1 };
    }
    const { index, error } = culprit(responses);
    if (error.errorCode !== MIXED_DML) throw newUserError(write, index <= 0 ? undefined : write.grants[index - 1], error);
    const separate = await writeSeparately(conn, write, userSub);
    return { ...separate, writeRequests: separate.writeRequests + 1 };
  }
  return writeSeparately(conn, write, userSub);
}

async function writeSeparately(conn: OrgConnection, write: NewUserWrite, userSub: SubRequest): Promise<NewUserWritten> {
  const [created] = await sendWrite(() => composite(conn, [userSub], { allOrNone: true }));
  if (!ok(created)) throw newUserError(write, undefined, firstError(created.body));
  const userId = str(created.body, 'id');
  const username = String(write.fields.Username);
  let requests = 1;
  if (write.grants.length === 0) return { userId, mode: 'separate', writeRequests: requests };
  let failure: PlatformError | undefined;
  const written: ResolvedGrant[] = [];
  // Collections take one object type per request when the type is a Setup object: PSLs first (all of
  // them), then the permission set and group assignments; each request all-or-nothing.
  const batches = [
    ...chunk(write.grants.filter((g) => g.type === 'permissionSetLicense'), MAX_COLLECTION_RECORDS),
    ...chunk(write.grants.filter((g) => g.type !== 'permissionSetLicense'), MAX_COLLECTION_RECORDS),
  ];
  for (const batch of batches) {
    requests++;
    try {
      // Batches must run in order (PSLs before sets) and stop at the first failure.
      // eslint-disable-next-line no-await-in-loop
      const items = await sendWrite(() => collection(conn, 'POST', batch.map((g) => assignmentRecord(g, userId)), { allOrNone: true }), userId);
      const bad = items.find((item) => !item.success && !HALTED.has(item.errors[0]?.statusCode ?? '')) ?? items.find((item) => !item.success);
      if (bad) failure = firstError(bad.errors);
      else written.push(...batch);
    } catch (e) {
      if (e instanceof UncertainWriteError) throw e;
      failure = { errorCode: (e as { errorCode?: string }).errorCode ?? 'UNKNOWN_ERROR', message: (e as Error).message };
    }
    if (failure) break;
  }
  if (!failure) return { userId, mode: 'separate', writeRequests: requests };
  const none = messages.getMessage('state.none');
  const assigned = written.map((g) => g.name).join(', ') || none;
  const notAssigned = write.grants.filter((g) => !written.includes(g)).map((g) => g.name).join(', ') || none;
  // Never leave an active, half-configured user behind: users can't be deleted, so deactivate it.
  try {
    const [item] = await collection(conn, 'PATCH', [{ attributes: { type: 'User' }, Id: userId, IsActive: false }], { allOrNone: true });
    if (!item?.success) throw new Error(firstError(item?.errors).message);
  } catch (e) {
    throw messages.createError('error.AssignmentsFailedUserStillActive', [username, userId, failure.errorCode, failure.message, assigned, notAssigned, (e as Error).message], [username]);
  }
  throw messages.createError('error.AssignmentsFailedUserDeactivated', [username, userId, failure.errorCode, failure.message, assigned, notAssigned], [username]);
}

function newUserError(write: NewUserWrite, grant: ResolvedGrant | undefined, error: PlatformError): SfError {
  const username = String(write.fields.Username);
  switch (error.errorCode) {
    case 'DUPLICATE_USERNAME':
      return messages.createError('error.DuplicateUsername', [username], [write.usernameSuggestion]);
    case 'LICENSE_LIMIT_EXCEEDED':
      return messages.createError('error.LicenseLimitExceeded', [error.message]);
    case 'INVALID_SESSION_ID':
      return messages.createError('error.WriteSessionExpired', [username], [username]);
    case 'DUPLICATE_COMM_NICKNAME':
      return messages.createError('error.NicknameTakenMeanwhile', [String(write.fields.CommunityNickname)]);
    default:
      return grant
        ? messages.createError('error.CreateGrantFailed', [username, grant.name, error.errorCode, error.message])
        : messages.createError('error.CreateUserFailed', [username, error.errorCode, error.message]);
  }
}

export type AssigneeWrite = { userId: string; username: string; grants: ResolvedGrant[] };

export type GrantFailure = { grant: ResolvedGrant; errorCode: string; message: string };

export type UserWriteOutcome = {
  userId: string;
  username: string;
  added: ResolvedGrant[];
  /** Already assigned when written (another admin was quicker): counted as success, with a warning. */
  duplicates: ResolvedGrant[];
  failed: GrantFailure[];
  /** Not written: rolled back with a failed grant, or a set held back because its user's PSL failed. */
  notWritten: ResolvedGrant[];
};

export type AssignWritten = { outcomes: UserWriteOutcome[]; writeRequests: number };

/**
 * Adds grants to existing users. One user: one all-or-nothing composite request. Several: PSL assignments
 * of every user first (collections of 200, allOrNone false, so one user's failure doesn't block the
 * others), then the sets and groups of the users whose PSLs all succeeded.
 */
export async function writeAssignments(conn: OrgConnection, users: readonly AssigneeWrite[]): Promise<AssignWritten> {
  const pending = users.filter((u) => u.grants.length > 0);
  const outcomes = new Map(users.map((u) => [u.userId, blank(u)]));
  let writeRequests = 0;
  if (pending.length === 1 && pending[0].grants.length <= MAX_COMPOSITE_SUBREQUESTS) {
    const single = await writeOneUser(conn, pending[0]);
    if (single) return { outcomes: [...outcomes.values()].map((o) => (o.userId === single.outcome.userId ? single.outcome : o)), writeRequests: single.requests };
    writeRequests = 1; // the composite refused with MIXED_DML_OPERATION: continue with collections
  }

  const records = (type: 'psl' | 'psa', list: readonly AssigneeWrite[]): Array<{ user: AssigneeWrite; grant: ResolvedGrant; record: AssignmentRecord }> =>
    list.flatMap((user) =>
      user.grants
        .filter((g) => (type === 'psl') === (g.type === 'permissionSetLicense'))
        .map((grant) => ({ user, grant, record: assignmentRecord(grant, user.userId) }))
    );

  const send = async (entries: ReturnType<typeof records>): Promise<void> => {
    for (const part of chunk(entries, MAX_COLLECTION_RECORDS)) {
      let items: CollectionItem[];
      writeRequests++;
      try {
        // PSL chunks must be done before any set is sent; each chunk's answer decides what follows.
        // eslint-disable-next-line no-await-in-loop
        items = await sendWrite(() => collection(conn, 'POST', part.map((e) => e.record), { allOrNone: false }));
      } catch (e) {
        if (e instanceof UncertainWriteError || writeRequests === 1) throw e; // nothing written yet: a plain error (expired session, org down, …)
        const error = { errorCode: (e as { errorCode?: string }).errorCode ?? 'UNKNOWN_ERROR', message: (e as Error).message };
        items = part.map(() => ({ success: false, errors: [{ statusCode: error.errorCode, message: error.message }] }));
      }
      for (const [i, entry] of part.entries()) record(outcomes.get(entry.user.userId), entry.grant, items[i]);
    }
  };

  await send(records('psl', pending));
  const pslFailed = new Set(pending.filter((u) => (outcomes.get(u.userId)?.failed.length ?? 0) > 0).map((u) => u.userId));
  for (const user of pending.filter((u) => pslFailed.has(u.userId))) {
    outcomes.get(user.userId)?.notWritten.push(...user.grants.filter((g) => g.type !== 'permissionSetLicense'));
  }
  await send(records('psa', pending.filter((u) => !pslFailed.has(u.userId))));
  return { outcomes: [...outcomes.values()], writeRequests };
}

function blank(user: AssigneeWrite): UserWriteOutcome {
  return { userId: user.userId, username: user.username, added: [], duplicates: [], failed: [], notWritten: [] };
}

function record(outcome: UserWriteOutcome | undefined, grant: ResolvedGrant, item: CollectionItem | undefined): void {
  if (!outcome) return;
  if (item?.success) {
    outcome.added.push(grant);
    return;
  }
  const error = firstError(item?.errors ?? []);
  if (error.errorCode === DUPLICATE) outcome.duplicates.push(grant);
  else outcome.failed.push({ grant, errorCode: error.errorCode, message: error.message });
}

/** One user's grants (and field changes) in one all-or-nothing composite; undefined when the platform refused the mix. */
async function writeOneUser(
  conn: OrgConnection,
  user: AssigneeWrite,
  fields?: Record<string, unknown>
): Promise<{ outcome: UserWriteOutcome; requests: number; fieldsWritten: boolean; fieldError?: PlatformError } | undefined> {
  const outcome = blank(user);
  let grants = [...user.grants];
  let requests = 0;
  const patch: SubRequest[] = fields ? [{ method: 'PATCH', url: dataUrl(conn, `sobjects/User/${user.userId}`), referenceId: 'userFields', body: fields }] : [];
  // A duplicate (another admin assigned it meanwhile) rolls the request back: drop it and send the rest
  // again. At most one extra request per duplicate; nothing is written by a rolled-back request.
  while (grants.length + patch.length > 0) {
    requests++;
    const subs = [...patch, ...grants.map((g, i) => postSub(conn, assignmentRecord(g, user.userId), `grant${i}`))];
    // eslint-disable-next-line no-await-in-loop
    const responses = await sendWrite(() => composite(conn, subs, { allOrNone: true }), user.userId);
    if (responses.every(ok)) {
      outcome.added.push(...grants);
      return { outcome, requests, fieldsWritten: patch.length > 0 };
    }
    const { index, error } = culprit(responses);
    if (error.errorCode === MIXED_DML) return undefined;
    if (patch.length > 0 && index === 0) {
      outcome.notWritten.push(...grants);
      return { outcome, requests, fieldsWritten: false, fieldError: error };
    }
    const grant = grants[index - patch.length] ?? grants[0];
    if (error.errorCode === DUPLICATE) {
      outcome.duplicates.push(grant);
      grants = grants.filter((g) => g !== grant);
      continue;
    }
    outcome.failed.push({ grant, errorCode: error.errorCode, message: error.message });
    outcome.notWritten.push(...grants.filter((g) => g !== grant));
    return { outcome, requests, fieldsWritten: false };
  }
  return { outcome, requests, fieldsWritten: false };
}

export type ExistingUserWritten = {
  outcome: UserWriteOutcome;
  /** True when the field changes were written. */
  fieldsWritten: boolean;
  /** Salesforce's refusal of the field changes (then nothing was written). */
  fieldError?: PlatformError;
  writeRequests: number;
};

/**
 * An existing user's field changes and missing grants in one all-or-nothing composite (the User update
 * first). When the platform refuses to mix them (MIXED_DML_OPERATION), the fields are written on their own
 * first, then the grants as writeAssignments does.
 */
export async function writeExistingUser(conn: OrgConnection, user: AssigneeWrite, fields: Record<string, unknown>): Promise<ExistingUserWritten> {
  if (user.grants.length + 1 > MAX_COMPOSITE_SUBREQUESTS) {
    throw new Error(`${user.grants.length} grants and a field update don't fit one composite request`);
  }
  const single = await writeOneUser(conn, user, fields);
  if (single) return { outcome: single.outcome, fieldsWritten: single.fieldsWritten, fieldError: single.fieldError, writeRequests: single.requests };
  const patch: SubRequest = { method: 'PATCH', url: dataUrl(conn, `sobjects/User/${user.userId}`), referenceId: 'userFields', body: fields };
  const [answer] = await sendWrite(() => composite(conn, [patch], { allOrNone: true }), user.userId);
  if (!ok(answer)) return { outcome: { ...blank(user), notWritten: [...user.grants] }, fieldsWritten: false, fieldError: firstError(answer.body), writeRequests: 2 };
  if (user.grants.length === 0) return { outcome: blank(user), fieldsWritten: true, writeRequests: 2 };
  const rest = await writeAssignments(conn, [user]);
  return { outcome: rest.outcomes[0], fieldsWritten: true, writeRequests: 2 + rest.writeRequests };
}
