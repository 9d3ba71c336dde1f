/**
 * Freeze and unfreeze (`UserLogin.IsFrozen`): one read round trip (rights, User, UserLogin), then one
 * sObject Collections PATCH per 200 users that need a change (allOrNone false: one user's failure doesn't stop
 * the others). Already in the wanted state → unchanged, no write. When a write's answer is lost, the
 * UserLogin rows are read again and each user is reported as the org now holds it.
 */
import { collection, MAX_COLLECTION_RECORDS, type OrgConnection } from '../api.js';
import { sameId } from '../model/ids.js';
import { bool, readParts, str } from '../read.js';
import { rightsRead } from '../rights.js';
import { chunk, inList } from '../soql.js';
import { answerLost, lostReason, type Interrupted } from './lostAnswer.js';
import { errorText, lifecycleUsersRead, messages, resolveUsers, type LifecycleUser } from './users.js';

export type FreezeStatus = 'frozen' | 'unfrozen' | 'unchanged' | 'wouldFreeze' | 'wouldUnfreeze' | 'failed';

export type FreezeUserOutcome = {
  username: string;
  userId: string;
  /** IsFrozen before the command. */
  wasFrozen: boolean;
  /** IsFrozen as the org holds it after the command (re-read when an answer was lost). */
  isFrozen: boolean;
  status: FreezeStatus;
  error?: string;
};

export type FreezeResult = {
  action: 'freeze' | 'unfreeze';
  dryRun: boolean;
  reason: string | null;
  users: FreezeUserOutcome[];
  /** Write requests made. */
  writeRequests: number;
  /** Set when a write's answer was lost: the users' state comes from a re-read (then a user the re-read shows changed has no error). */
  interrupted?: Interrupted;
};

export type FreezeOptions = {
  usernames: readonly string[];
  freeze: boolean;
  reason?: string;
  dryRun?: boolean;
  allowNonIntegrationUser?: boolean;
};

/** Reads and validates: rights (Manage Users to read and write UserLogin) are checked in the same round trip. */
export async function planFreeze(conn: OrgConnection, options: FreezeOptions): Promise<LifecycleUser[]> {
  const [, users] = await readParts(conn, [rightsRead(['read:UserLogin', 'write:UserLogin']), lifecycleUsersRead(options.usernames)] as const);
  const resolved = await resolveUsers(conn, options.usernames, users, options.allowNonIntegrationUser === true);
  const noLogin = resolved.filter((u) => u.loginId === null);
  if (noLogin.length > 0) throw messages.createError('error.NoUserLogin', [noLogin.map((u) => u.username).join(', ')]);
  return resolved;
}

/** Writes IsFrozen for the users not yet in the wanted state. Never throws for a write failure: it is in the outcome. */
export async function applyFreeze(conn: OrgConnection, users: readonly LifecycleUser[], options: FreezeOptions): Promise<FreezeResult> {
  const want = options.freeze;
  const outcomes = new Map<string, FreezeUserOutcome>();
  for (const u of users) {
    const unchanged = u.isFrozen === want;
    const status: FreezeStatus = unchanged ? 'unchanged' : options.dryRun ? (want ? 'wouldFreeze' : 'wouldUnfreeze') : want ? 'frozen' : 'unfrozen';
    outcomes.set(u.id, { username: u.username, userId: u.id, wasFrozen: u.isFrozen, isFrozen: u.isFrozen, status });
  }
  const toWrite = options.dryRun ? [] : users.filter((u) => u.isFrozen !== want);
  let writeRequests = 0;
  let lost: { reason: string; uncertain: boolean } | undefined;
  for (const batch of chunk(toWrite, MAX_COLLECTION_RECORDS)) {
    writeRequests++;
    try {
      // eslint-disable-next-line no-await-in-loop
      const items = await collection(
        conn,
        'PATCH',
        batch.map((u) => ({ attributes: { type: 'UserLogin' }, Id: String(u.loginId), IsFrozen: want })),
        { allOrNone: false }
      );
      for (const [i, item] of items.entries()) {
        const outcome = outcomes.get(batch[i].id);
        if (!outcome) continue;
        if (item.success) outcome.isFrozen = want;
        else {
          outcome.status = 'failed';
          outcome.error = item.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ');
        }
      }
    } catch (e) {
      lost ??= { reason: lostReason(e), uncertain: answerLost(e) };
      for (const u of batch) {
        const outcome = outcomes.get(u.id);
        if (outcome) Object.assign(outcome, { status: 'failed', error: errorText(e) });
      }
    }
  }
  const result: FreezeResult = { action: want ? 'freeze' : 'unfreeze', dryRun: options.dryRun === true, reason: options.reason ?? null, users: [...outcomes.values()], writeRequests };
  if (lost) {
    await reread(conn, result.users, want);
    if (lost.uncertain) result.interrupted = { reason: lost.reason, complete: result.users.every((u) => u.status !== 'failed') };
  }
  return result;
}

/** After a failed or lost write: what the org holds now decides each user's status. */
async function reread(conn: OrgConnection, outcomes: FreezeUserOutcome[], want: boolean): Promise<void> {
  const failed = outcomes.filter((o) => o.status === 'failed');
  try {
    const [rows] = await readParts(conn, [
      { queries: [`SELECT UserId, IsFrozen FROM UserLogin WHERE UserId IN ${inList(failed.map((o) => o.userId))}`], assemble: ([r]) => r },
    ] as const);
    for (const o of failed) {
      const row = rows.find((r) => sameId(str(r, 'UserId'), o.userId));
      if (!row) continue;
      o.isFrozen = bool(row, 'IsFrozen');
      if (o.isFrozen === want) {
        // The org holds the change: a success (the result's `interrupted` and its warning say the answer was lost).
        o.status = want ? 'frozen' : 'unfrozen';
        delete o.error;
      } else o.error = `${o.error ?? ''} (a re-read shows it was not changed)`.trim();
    }
  } catch (e) {
    for (const o of failed) o.error = `${o.error ?? ''} (could not re-read the org: ${errorText(e)}; the state is unknown)`;
  }
}

export async function freezeUsers(conn: OrgConnection, options: FreezeOptions): Promise<FreezeResult> {
  return applyFreeze(conn, await planFreeze(conn, options), options);
}

/** 0 all done, 68 some failed and some done, 1 every write failed. */
export function freezeExitCode(result: FreezeResult): number {
  const failed = result.users.filter((u) => u.status === 'failed').length;
  if (failed === 0) return 0;
  return failed === result.users.length ? 1 : 68;
}
