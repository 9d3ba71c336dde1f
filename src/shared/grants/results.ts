/** Result shapes shared by create and assign, and the one exit-code rule. */
import { EXIT_CODES } from '../exitCodes.js';
import { replan, type HeldGrants } from './plan.js';
import type { GrantType, PlannedGrant } from './types.js';
import type { UserWriteOutcome } from './write.js';

export type GrantStatus =
  /** Assigned by this run. */
  | 'added'
  /** The user already held it. */
  | 'alreadyPresent'
  /** --dry-run: would be assigned. */
  | 'toAdd'
  /** Refused by Salesforce. */
  | 'failed'
  /** Not written because another grant of the same user failed. */
  | 'notWritten';

export type GrantRow = {
  type: GrantType;
  /** DeveloperName (PSL, group) or Name (permission set). */
  name: string;
  label: string;
  status: GrantStatus;
  /** Salesforce's error, for a failed grant. */
  error?: string;
  /** A PSL the plan added because this permission set (or group component) needs it. */
  neededBy?: string;
};

/** Rows for a plan, before (dry run) or after the write. */
export function grantRows(grants: readonly PlannedGrant[], outcome?: UserWriteOutcome, dryRun = false): GrantRow[] {
  const key = (g: { type: string; id: string }): string => `${g.type}:${g.id}`;
  const failed = new Map(outcome?.failed.map((f) => [key(f.grant), f]) ?? []);
  const notWritten = new Set(outcome?.notWritten.map(key) ?? []);
  const duplicates = new Set(outcome?.duplicates.map(key) ?? []);
  return grants.map((g) => {
    const base = { type: g.type, name: g.name, label: g.label, ...(g.neededBy ? { neededBy: g.neededBy } : {}) };
    if (g.status === 'present' || duplicates.has(key(g))) return { ...base, status: 'alreadyPresent' };
    if (dryRun) return { ...base, status: 'toAdd' };
    const failure = failed.get(key(g));
    if (failure) return { ...base, status: 'failed', error: `${failure.errorCode}: ${failure.message}` };
    if (notWritten.has(key(g))) return { ...base, status: 'notWritten' };
    return { ...base, status: 'added' };
  });
}

/**
 * Rows after a write whose answer was lost, from a re-read of the user: a grant the plan added is `added`
 * when the org holds it now, else `notWritten`. `held` undefined: the user doesn't exist.
 */
export function rowsFromReread(grants: readonly PlannedGrant[], held: HeldGrants | undefined): GrantRow[] {
  const now = new Map(replan(held, grants).map((g) => [`${g.type}:${g.id}`, g.status]));
  return grants.map((g) => {
    const base = { type: g.type, name: g.name, label: g.label, ...(g.neededBy ? { neededBy: g.neededBy } : {}) };
    if (g.status === 'present') return { ...base, status: 'alreadyPresent' };
    return { ...base, status: now.get(`${g.type}:${g.id}`) === 'present' ? 'added' : 'notWritten' };
  });
}

/** 0 when every user got everything, 68 when some succeeded and some failed, 1 when nothing succeeded. */
export function toExitCode(result: { users: ReadonlyArray<{ status: string }> }): number {
  const failed = result.users.filter((u) => u.status === 'failed' || u.status === 'partial').length;
  if (failed === 0) return EXIT_CODES.success;
  const anySuccess = result.users.some((u) => u.status === 'updated' || u.status === 'unchanged' || u.status === 'partial');
  return anySuccess ? EXIT_CODES.partialSuccess : EXIT_CODES.failure;
}
