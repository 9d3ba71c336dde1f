/** Pure diff of wanted vs held grants → an ordered plan: PSLs, then permission sets, then groups. */
import { id15 } from '../model/ids.js';
import type { Grant, UserWithGrants } from '../users.js';
import type { GrantType, PlannedGrant, ResolvedGrant } from './types.js';

export const GRANT_ORDER: readonly GrantType[] = ['permissionSetLicense', 'permissionSet', 'permissionSetGroup'];

export type HeldGrants = Pick<UserWithGrants, 'permissionSetLicenses' | 'permissionSets' | 'permissionSetGroups'>;

/** One user's plan: `user` is undefined for a user still to be created. */
export type UserPlan = { username: string; user: UserWithGrants | undefined; grants: PlannedGrant[] };


function heldOf(held: HeldGrants | undefined, type: GrantType): Grant[] {
  if (!held) return [];
  if (type === 'permissionSetLicense') return held.permissionSetLicenses;
  return type === 'permissionSet' ? held.permissionSets : held.permissionSetGroups;
}

/** Every wanted grant once, in the write order, marked `present` when the user already holds it. */
export function planGrants(held: HeldGrants | undefined, wanted: readonly ResolvedGrant[]): PlannedGrant[] {
  const seen = new Set<string>();
  const planned: PlannedGrant[] = [];
  for (const type of GRANT_ORDER) {
    for (const grant of wanted.filter((g) => g.type === type)) {
      const key = `${type}:${id15(grant.id)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const present = heldOf(held, type).some(
        (h) => id15(h.id) === id15(grant.id) || h.name.toLowerCase() === grant.name.toLowerCase()
      );
      planned.push({ ...grant, status: present ? 'present' : 'add' });
    }
  }
  return planned;
}

/** The grants a plan adds, in write order. */
export function additions(grants: readonly PlannedGrant[]): ResolvedGrant[] {
  return grants.filter((g) => g.status === 'add').map(({ type, id, name, label }) => ({ type, id, name, label }));
}

/** The plan of a user whose state is now known (after a re-read): each grant present or to add. */
export function replan(held: HeldGrants | undefined, grants: readonly PlannedGrant[]): PlannedGrant[] {
  return planGrants(held, grants.map(({ type, id, name, label, neededBy }) => ({ type, id, name, label, neededBy })));
}
