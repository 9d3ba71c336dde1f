/**
 * The one validation module of `create` and `assign`: resolves every requested name, checks licenses,
 * seats, groups and users, and returns ALL problems at once (each with what to do) together with each
 * user's ordered plan. Pure: everything it needs was read before (by the first readParts call of
 * prepareCreate in create.ts and of assignGrants in assign.ts).
 */
import { SfError } from '@salesforce/core';
import { INTEGRATION_USER_LICENSE } from '../constants.js';
import { licenseFit, type Licenses, type PermissionSetLicense } from '../licenses.js';
import type { UserWithGrants } from '../users.js';
import type { CandidateNames, Catalog, CatalogSet, IntegrationProfile } from './catalog.js';
import { messages, problem } from './messages.js';
import { sameId } from '../model/ids.js';
import { planGrants, type UserPlan } from './plan.js';
import { closeMatches } from './suggest.js';
import type { GrantNames, Problem, ResolvedGrant } from './types.js';
import { countOf } from '../model/count.js';

export type ValidationTarget = {
  username: string;
  /** The existing user; undefined = to be created (create) or not found (assign). */
  user: UserWithGrants | undefined;
};

export type GrantValidationInput = {
  mode: 'create' | 'assign';
  licenses: Licenses;
  catalog: Catalog;
  /** Every set and group name of the org, when read (only after a name was not found): for "did you mean". */
  candidates?: CandidateNames;
  wanted: GrantNames;
  targets: readonly ValidationTarget[];
  /** assign only: also accept users who are not integration users. */
  allowNonIntegrationUser?: boolean;
};

export type Validation = { problems: Problem[]; plans: UserPlan[] };

const unique = (names: readonly string[]): string[] => {
  const seen = new Set<string>();
  return names.filter((n) => (seen.has(n.toLowerCase()) ? false : (seen.add(n.toLowerCase()), true)));
};

const pslGrant = (psl: PermissionSetLicense): ResolvedGrant => ({
  type: 'permissionSetLicense',
  id: psl.id,
  name: psl.developerName,
  label: psl.label,
});

/** Names that were asked for but don't exist (so candidates are worth reading). */
export function unresolvedNames(catalog: Catalog, wanted: GrantNames): { permissionSets: string[]; permissionSetGroups: string[] } {
  return {
    permissionSets: wanted.permissionSets.filter((n) => !catalog.findSet(n)),
    permissionSetGroups: wanted.permissionSetGroups.filter((n) => !catalog.findGroup(n)),
  };
}

function didYouMean(key: string, name: string, candidates: readonly string[] | undefined): Problem {
  const near = closeMatches(name, candidates ?? []);
  const base = problem(key, [name]);
  return near.length > 0
    ? { message: base.message, actions: [messages.getMessage('action.DidYouMean', [near.join(', ')]), ...base.actions] }
    : base;
}

export function validateGrants(input: GrantValidationInput): Validation {
  const { licenses, catalog, wanted } = input;
  const problems: Problem[] = [];

  const psls: ResolvedGrant[] = [];
  for (const name of unique(wanted.permissionSetLicenses)) {
    const psl = licenses.findPsl(name);
    if (!psl) {
      const near = closeMatches(name, licenses.permissionSetLicenses.flatMap((p) => [p.developerName, p.label]));
      const base = problem('UnknownPsl', [name]);
      problems.push(near.length ? { ...base, actions: [messages.getMessage('action.DidYouMean', [near.join(', ')]), ...base.actions] } : base);
    } else if (psl.status !== 'Active') {
      problems.push(problem('PslInactive', [psl.label, psl.status]));
    } else {
      psls.push(pslGrant(psl));
    }
  }

  const sets: Array<{ grant: ResolvedGrant; set: CatalogSet }> = [];
  for (const name of unique(wanted.permissionSets)) {
    const set = catalog.findSet(name);
    if (!set) problems.push(didYouMean('UnknownPermissionSet', name, input.candidates?.permissionSets));
    else sets.push({ grant: { type: 'permissionSet', id: set.id, name: set.name, label: set.label }, set });
  }

  const groups: Array<{ grant: ResolvedGrant; components: CatalogSet[] }> = [];
  for (const name of unique(wanted.permissionSetGroups)) {
    const group = catalog.findGroup(name);
    if (!group) {
      problems.push(didYouMean('UnknownGroup', name, input.candidates?.permissionSetGroups));
      continue;
    }
    if (group.status !== 'Updated') problems.push(problem('GroupNotUpdated', [group.name, group.status]));
    groups.push({ grant: { type: 'permissionSetGroup', id: group.id, name: group.name, label: group.label }, components: group.components });
  }

  const plans: UserPlan[] = [];
  for (const target of input.targets) {
    const { user } = target;
    if (!user) {
      if (input.mode === 'assign') {
        problems.push(problem('UserNotFound', [target.username]));
        continue;
      }
    } else if (!user.isIntegrationLicense && !user.isLegacyProfile && !(input.mode === 'assign' && input.allowNonIntegrationUser)) {
      const tokens = [user.username, user.userLicense ?? '?', user.profileName ?? '?'];
      problems.push(problem(input.mode === 'create' ? 'UsernameTakenNotIntegration' : 'NotIntegrationUser', tokens));
      continue;
    }
    const userLicense = user ? user.userLicense : INTEGRATION_USER_LICENSE;
    const userPsls: ResolvedGrant[] = [];
    if (!user || user.isIntegrationLicense) {
      if (licenses.apiIntegrationPsl) userPsls.push(pslGrant(licenses.apiIntegrationPsl));
      else problems.push(problem('NoApiIntegrationPsl'));
    }
    userPsls.push(...psls);

    const needed = new Map<string, { psl: PermissionSetLicense; setNames: string[] }>();
    const check = (set: CatalogSet, group?: string): void => {
      const fit = licenseFit(set.licenseId, userLicense, licenses);
      if (!fit.ok) {
        problems.push(
          group
            ? problem('GroupComponentLicenseMismatch', [group, set.name, fit.licenseName, userLicense ?? '?'])
            : problem('SetLicenseMismatch', [set.name, fit.licenseName, userLicense ?? '?'])
        );
      } else if (fit.requiresPsl) {
        const setName = group ? `${group} (${set.name})` : set.name;
        const entry = needed.get(fit.requiresPsl.id);
        if (!entry) needed.set(fit.requiresPsl.id, { psl: fit.requiresPsl, setNames: [setName] });
        else if (!entry.setNames.includes(setName)) entry.setNames.push(setName);
      }
    };
    for (const { set } of sets) check(set);
    for (const { grant, components } of groups) for (const component of components) check(component, grant.name);
    // A set (or a group's component) whose license is a PSL the user lacks: Salesforce would auto-assign
    // the PSL with the set (Help, "Create a Permission Set Associated with a Permission Set License"); the
    // plan assigns it explicitly instead, before the sets, so its seat is checked like any other and the
    // result is the same whether or not the org auto-assigns.
    for (const { psl, setNames } of needed.values()) {
      const planned = userPsls.some((p) => sameId(p.id, psl.id));
      const held = user?.permissionSetLicenses.some((p) => sameId(p.id, psl.id)) ?? false;
      if (planned || held) continue;
      if (psl.status !== 'Active') problems.push(problem('PslInactive', [psl.label, psl.status]));
      else userPsls.push({ ...pslGrant(psl), neededBy: setNames.join(', ') });
    }
    plans.push({
      username: target.username,
      user,
      grants: planGrants(user, [...userPsls, ...sets.map((s) => s.grant), ...groups.map((g) => g.grant)]),
    });
  }

  // Seats each PSL to add takes, and the sets (or groups) that need it when it was not asked for by name.
  const adds = new Map<string, { count: number; neededBy: string[] }>();
  for (const plan of plans) {
    for (const grant of plan.grants) {
      if (grant.type !== 'permissionSetLicense' || grant.status !== 'add') continue;
      const entry = adds.get(grant.id) ?? { count: 0, neededBy: [] };
      entry.count += 1;
      for (const name of grant.neededBy ? grant.neededBy.split(', ') : []) if (!entry.neededBy.includes(name)) entry.neededBy.push(name);
      adds.set(grant.id, entry);
    }
  }
  for (const [id, { count, neededBy }] of adds) {
    const target = licenses.byId(id);
    if (target?.kind === 'psl' && target.license.seats.available < count) {
      const { label, seats } = target.license;
      problems.push(
        neededBy.length > 0
          ? problem('NoPslSeatsNeededBy', [label, andList(neededBy), seats.used, seats.total, count])
          : problem('NoPslSeats', [label, seats.used, seats.total, count])
      );
    }
  }
  return { problems: dedupe(problems), plans };
}

/** create only: the new (or reactivated) user's seat, its profile and its field problems. */
export function validateNewUser(input: {
  licenses: Licenses;
  profile: IntegrationProfile | undefined;
  /** The user needs an integration seat: created now, or inactive and reactivated. */
  needsSeat: boolean;
  fieldProblems: readonly Problem[];
}): Problem[] {
  const problems: Problem[] = [...input.fieldProblems];
  const license = input.licenses.integrationLicense;
  if (input.needsSeat && license && license.seats.available < 1) {
    problems.push(problem('NoIntegrationSeats', [license.seats.used, license.seats.total]));
  }
  if (!input.profile) problems.push(problem('NoIntegrationProfile'));
  return problems;
}

/** `A`, `A and B`, `A, B and C`. */
function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
}

/** Throws one error listing every problem as a bullet, with every fix as an action; does nothing when there are none. */
export function assertNoProblems(problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  const bullets = problems.map((p) => `- ${p.message}`).join('\n');
  const actions = [...new Set(problems.flatMap((p) => p.actions))];
  throw new SfError(messages.getMessage('error.ValidationFailed', [countOf(problems.length, 'problem'), bullets]), 'ValidationFailedError', actions);
}
