/**
 * The one function that computes what an org needs to match a spec: `plan` prints it, `apply` writes
 * exactly it (so the two cannot disagree). One read of the org for every integration at once (the running
 * user's rights, licenses and seats, the users with their grants and the fields the spec gives, nicknames
 * in use, the named sets and groups, the integration profile, and assignment expiry dates when the spec
 * gives any: at most 3 composite requests plus pages), then every check of `create` for every integration,
 * all problems at once. The grant and user-field rules are the grant modules' own (src/shared/grants).
 */
import { SfError } from '@salesforce/core';
import type { OrgConnection } from '../api.js';
import { licenseFit, licensesRead, type Licenses, type PermissionSetLicense } from '../licenses.js';
import { sameId } from '../model/ids.js';
import { assertIntegrationReady, orgRead } from '../org.js';
import { readParts, str as requiredStr, strOrNull, type ReadPart, type Row } from '../read.js';
import { missingRights, rightsRead, rightsText, type Operation } from '../rights.js';
import { inList } from '../soql.js';
import type { Grant, UserWithGrants } from '../users.js';
import { readCandidates } from '../grants/create.js';
import { catalogRead, integrationProfileRead, type Catalog } from '../grants/catalog.js';
import { problem as grantProblem } from '../grants/messages.js';
import type { GrantType, PlannedGrant, Problem, ResolvedGrant } from '../grants/types.js';
import {
  checkGivenFields,
  fieldDrift,
  givenUserFields,
  nameMatches,
  newUserFields,
  userIdentity,
  userStateRead,
  type UserFieldInput,
  type UserFieldValue,
} from '../grants/userFields.js';
import { unresolvedNames, validateGrants, validateNewUser } from '../grants/validate.js';
import { hasControlCharacters, showControlCharacters } from '../model/text.js';
import { messages, specBullet } from './load.js';
import { USER_FIELDS, type ResolvedIntegration, type ResolvedSpec, type SpecGrant, type SpecPlace, type SpecProblem, type UserFieldKey } from './types.js';
import { countOf } from '../model/count.js';

export type SpecChangeAction = 'create' | 'update' | 'assign' | 'unassign' | 'deactivate';
export type SpecChangeType = 'user' | 'field' | GrantType;

/** One change `apply` makes (or `plan` shows). */
export type SpecChange = {
  integration: string;
  username: string;
  action: SpecChangeAction;
  type: SpecChangeType;
  /** Username (user), User field API name (field), or the grant's name. */
  name: string;
  /** The org's value (update). */
  from?: string | null;
  /** The spec's value (update), or the assignment's expiry date (assign). */
  to?: string | null;
  /** The spec's reason for the grant. */
  reason?: string;
  /** For a permission set license the spec doesn't list: the set or group that needs it. */
  neededBy?: string;
  /** 1-based line in the spec: the grant's, else the integration's. */
  line: number;
};

/** A grant the user holds that the spec does not list. */
export type SpecDrift = {
  integration: string;
  username: string;
  type: GrantType;
  name: string;
  label: string;
  /** The integration's line in the spec. */
  line: number;
  /** True when this run turns it into an unassign change (--prune). */
  pruned: boolean;
};

export type IntegrationStatus = 'converged' | 'differs';

export type PlannedIntegration = {
  integration: string;
  username: string;
  state: 'present' | 'inactive' | 'absent';
  owner?: string;
  /** The user's Id, or null when it doesn't exist yet. */
  userId: string | null;
  status: IntegrationStatus;
  line: number;
};

/** One environment's plan, as `plan --json` returns it. */
export type SpecPlanBlock = {
  /** The environment (--env), or null for the spec without one. */
  environment: string | null;
  /** The org planned against (alias or username as given, else the connection's username). */
  targetOrg: string;
  /** True only when the org matches the spec exactly: no change and no drift. */
  converged: boolean;
  changes: SpecChange[];
  drift: SpecDrift[];
  integrations: PlannedIntegration[];
  /** HTTP requests `apply` will make: the same reads as this plan, plus `writeRequests`. */
  requests: number;
  /** Requests this plan made to read the org. */
  readRequests: number;
  /** Write requests `apply` will make (0 when nothing is to change). */
  writeRequests: number;
};

/** What apply writes for one integration, in order (internal: never in a result). */
export type WriteOp =
  | { kind: 'createUser'; fields: Record<string, UserFieldValue> }
  | { kind: 'updateUser'; fields: Record<string, UserFieldValue> }
  | { kind: 'insertGrant'; grant: ResolvedGrant; expires?: string }
  | { kind: 'deleteAssignment'; object: 'PermissionSetAssignment' | 'PermissionSetLicenseAssign'; id: string }
  | { kind: 'updateExpiry'; id: string; expires: string | null };

export type IntegrationWork = PlannedIntegration & { changes: SpecChange[]; drift: SpecDrift[]; ops: WriteOp[]; wanted: PlannedGrant[] };

export type SpecPlan = { block: SpecPlanBlock; work: IntegrationWork[] };

export type PlanOptions = { prune: boolean; targetOrg: string; now?: Date };

const GROUP = 'permissionSetGroup';
const SET = 'permissionSet';
const PSL = 'permissionSetLicense';

/** Reads the org once and computes every change; throws one error listing every problem when it cannot plan. */
export async function planSpec(conn: OrgConnection, spec: ResolvedSpec, options: PlanOptions): Promise<SpecPlan> {
  const counter = countRequests(conn);
  const plan = await computePlan(counter.conn, spec, options).catch((e: unknown) => {
    // A spec with problems of its own: they are reported even when the org could not be read to find the rest.
    if (planErrors.has(e as object) || !spec.problems || spec.problems.length === 0) throw e;
    throw planError(spec, [{ message: messages.getMessage('plan.OrgUnread', [(e as Error).message]), actions: (e as SfError).actions ?? [] }]);
  });
  plan.block.readRequests = counter.count();
  plan.block.requests = plan.block.readRequests + plan.block.writeRequests;
  return plan;
}

async function computePlan(conn: OrgConnection, spec: ResolvedSpec, options: PlanOptions): Promise<SpecPlan> {
  const runningUsername = conn.getUsername() ?? '';
  const targets = spec.integrations.map((integration) => target(integration, spec, runningUsername));
  const usernames = targets.map((t) => t.identity.username).filter(Boolean);
  const allNames = {
    permissionSetLicenses: [],
    permissionSets: unique(spec.integrations.flatMap((i) => i.permissionSets.map((g) => g.name))),
    permissionSetGroups: unique(spec.integrations.flatMap((i) => i.permissionSetGroups.map((g) => g.name))),
  };
  const givenFields = unique(targets.flatMap((t) => Object.keys(t.given)));
  const needsExpiry = spec.integrations.some((i) => i.permissionSets.some((g) => g.expires));
  const readOps: Operation[] = ['read:PermissionSetAssignment', 'read:PermissionSetLicenseAssign', 'read:PermissionSet', 'read:PermissionSetGroup'];
  const [rights, licenses, state, catalog, profile, expiries] = await readParts(conn, [
    rightsRead(readOps),
    licensesRead(),
    userStateRead({ usernames, runningUsername, nicknames: targets.map((t) => t.identity.nickname), fields: givenFields }),
    catalogRead(allNames),
    integrationProfileRead(),
    expiriesRead(needsExpiry ? usernames : []),
  ] as const);
  if (licenses.integrationLicense?.status !== 'Active') {
    const [org] = await readParts(conn, [orgRead()] as const);
    assertIntegrationReady(org, licenses);
  }
  const candidates = await readCandidates(conn, unresolvedNames(catalog, allNames));

  const problems: PlanProblem[] = [];
  const work: IntegrationWork[] = [];
  // Seats are counted over the whole spec and checked once (below), not per integration.
  const roomy = withFreePslSeats(licenses);
  const integrationSeatsFor: string[] = [];
  const pslSeatsFor = new Map<string, string[]>();
  const takenNicknames = new Set(state.takenNicknames);
  const byUsername = new Map<string, { name: string; line: number }>();
  const now = options.now ?? new Date();

  for (const t of targets) {
    const { integration } = t;
    const locate = locator(integration);
    const where = (list: readonly Problem[]): PlanProblem[] => dedupeProblems([...locate.own, ...list.map(locate.place)]);
    if (!t.identity.username) {
      problems.push(...where(t.identity.problems));
      continue;
    }
    const clash = byUsername.get(t.identity.username);
    if (clash) {
      problems.push({
        message: messages.getMessage('plan.SameUsername', [clash.name, clash.line, integration.name, integration.line, t.identity.username]),
        actions: messages.getMessages('plan.SameUsername.actions'),
      });
      continue;
    }
    byUsername.set(t.identity.username, { name: integration.name, line: integration.line });
    const pastExpiry: PlanProblem[] = [];
    for (const g of integration.permissionSets) {
      if (g.expires && g.expires < now.toISOString().slice(0, 10) && integration.state === 'present') {
        pastExpiry.push({
          message: messages.getMessage('plan.PastExpiry', [g.name, g.expires]),
          actions: messages.getMessages('plan.PastExpiry.actions'),
          place: grantPlace(integration, g),
        });
      }
    }
    const user = state.users.find((u) => u.username.toLowerCase() === t.identity.username);
    const row = user ? state.rows.get(t.identity.username) : undefined;
    const base: PlannedIntegration = {
      integration: integration.name,
      username: user?.username ?? t.identity.username,
      state: integration.state,
      ...(integration.owner ? { owner: integration.owner } : {}),
      userId: user?.id ?? null,
      status: 'converged',
      line: integration.line,
    };
    if (user && !user.isIntegrationLicense && !user.isLegacyProfile) {
      problems.push(
        ...where([
          {
            message: messages.getMessage('plan.NotIntegrationUser', [user.username, user.userLicense ?? '?', user.profileName ?? '?']),
            actions: messages.getMessages('plan.NotIntegrationUser.actions'),
          },
        ]),
        ...pastExpiry
      );
      continue;
    }
    if (user && !t.identity.explicitUsername && user.isIntegrationLicense && !nameMatches(user, row, integration.name)) {
      problems.push(...where([grantProblem('UsernameOfAnotherIntegration', [t.identity.username, user.name, integration.name], [user.name])]), ...pastExpiry);
      continue;
    }
    problems.push(...pastExpiry);

    if (integration.state === 'absent' || (integration.state === 'inactive' && !user)) {
      problems.push(...where(user ? checkGivenFields(t.given) : []));
      work.push(absentWork(base, user));
      continue;
    }
    const inactive = integration.state === 'inactive';

    // present: the grants (create's rules, with seats consumed by the integrations before this one)
    const wanted = {
      permissionSetLicenses: integration.permissionSetLicenses.map((g) => g.name),
      permissionSets: integration.permissionSets.map((g) => g.name),
      permissionSetGroups: integration.permissionSetGroups.map((g) => g.name),
    };
    const validation = validateGrants({ mode: 'create', licenses: roomy, catalog, candidates, wanted, targets: [{ username: t.identity.username, user }] });
    const reactivate = user !== undefined && !user.isActive && !inactive;
    const built = user ? undefined : newUserFields(t.identity, t.createInput, state.runningUser, takenNicknames);
    problems.push(
      ...where([
        ...validateNewUser({ licenses, profile, needsSeat: false, fieldProblems: built?.problems ?? [] }),
        ...(user ? checkGivenFields(t.given) : []),
        ...validation.problems,
      ])
    );
    if ((!user || reactivate) && licenses.integrationLicense) integrationSeatsFor.push(integration.name);
    const validated = validation.plans[0];
    if (!validated) continue;
    // A deactivated integration gets only what the spec lists: the API Integration PSL is implied for active ones,
    // unless the integration says `apiIntegrationPsl: false` (import writes it for a user that lacks the PSL).
    const apiPslId = licenses.apiIntegrationPsl?.id;
    const listsApiPsl = integration.permissionSetLicenses.some((p) => {
      const psl = licenses.findPsl(p.name);
      return psl !== undefined && apiPslId !== undefined && sameId(psl.id, apiPslId);
    });
    const impliedOnly = (g: PlannedGrant): boolean => g.status === 'add' && apiPslId !== undefined && sameId(g.id, apiPslId) && !listsApiPsl && !g.neededBy;
    const plan = inactive || integration.apiIntegrationPsl === false ? { ...validated, grants: validated.grants.filter((g) => !impliedOnly(g)) } : validated;
    if (built) takenNicknames.add(String(built.fields.CommunityNickname).toLowerCase());
    for (const g of plan.grants) if (g.type === PSL && g.status === 'add') pslSeatsFor.set(g.id, [...(pslSeatsFor.get(g.id) ?? []), integration.name]);

    work.push(
      presentWork(base, integration, {
        user,
        fields: built ? { ...built.fields, ProfileId: profile?.id ?? null } : undefined,
        drift: user && row ? fieldDrift(t.given, row) : [],
        grants: plan.grants,
        catalog,
        licenses,
        expiries,
        prune: options.prune,
        inactive,
      })
    );
  }

  problems.push(...seatProblems(licenses, integrationSeatsFor, pslSeatsFor));

  // The running user's rights for the writes this plan needs: reported with every other problem.
  const ops = new Set<Operation>();
  for (const w of work) {
    for (const op of w.ops) {
      if (op.kind === 'createUser' || op.kind === 'updateUser') ops.add('write:User');
      else if (op.kind === 'insertGrant') ops.add(op.grant.type === PSL ? 'write:PermissionSetLicenseAssign' : 'write:PermissionSetAssignment');
      else if (op.kind === 'deleteAssignment') ops.add(op.object === 'PermissionSetLicenseAssign' ? 'write:PermissionSetLicenseAssign' : 'write:PermissionSetAssignment');
      else ops.add('write:PermissionSetAssignment');
    }
  }
  for (const m of missingRights(rights, [...ops])) {
    problems.push({ message: messages.getMessage('plan.MissingRight', [runningUsername, rightsText(m.anyOf), m.purpose]), actions: [] });
  }
  if (problems.length > 0 || (spec.problems?.length ?? 0) > 0) throw planError(spec, problems);

  const changes = work.flatMap((w) => w.changes);
  const drift = work.flatMap((w) => w.drift);
  const writeRequests = graphRequestCount(work);
  return {
    block: {
      environment: spec.environment ?? null,
      targetOrg: options.targetOrg,
      converged: changes.length === 0 && drift.length === 0,
      changes,
      drift,
      integrations: work.map(({ changes: _c, drift: _d, ops: _o, wanted: _w, ...rest }) => rest),
      requests: 0,
      readRequests: 0,
      writeRequests,
    },
    work,
  };
}

type Target = {
  integration: ResolvedIntegration;
  identity: ReturnType<typeof userIdentity>;
  /** The User fields the spec gives (compared with an existing user), by API name. */
  given: Record<string, UserFieldValue>;
  /** What a new user is built from: the spec's fields over the defaults. */
  createInput: UserFieldInput;
};

function target(integration: ResolvedIntegration, spec: ResolvedSpec, runningUsername: string): Target {
  const api = (fields: Partial<Record<UserFieldKey, string>>): Record<string, string> =>
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [USER_FIELDS[k as UserFieldKey], v]));
  const givenInput: UserFieldInput = { name: integration.name, username: integration.username, fileFields: api(integration.fields) };
  let identity = userIdentity(givenInput, runningUsername);
  if (!integration.username && identity.username && spec.usernameSuffix) {
    identity = { ...identity, username: `${identity.username}${spec.usernameSuffix}`.toLowerCase() };
  }
  const { LastName: _last, ...given } = givenUserFields(givenInput);
  // LastName is compared only when the spec gives it (the name feeds it only as a default).
  const compared = integration.fields.lastName ? { ...given, LastName: integration.fields.lastName } : given;
  return {
    integration,
    identity,
    given: compared,
    createInput: { name: integration.name, username: identity.username, fileFields: { ...api(spec.defaults), ...api(integration.fields) } },
  };
}

type PresentInput = {
  user: UserWithGrants | undefined;
  fields: Record<string, UserFieldValue> | undefined;
  drift: ReturnType<typeof fieldDrift>;
  grants: PlannedGrant[];
  catalog: Catalog;
  licenses: Licenses;
  expiries: Map<string, string | null>;
  prune: boolean;
  /** state: inactive — the user stays (or becomes) deactivated. */
  inactive: boolean;
};

function presentWork(base: PlannedIntegration, integration: ResolvedIntegration, input: PresentInput): IntegrationWork {
  const { user } = input;
  const changes: SpecChange[] = [];
  const ops: WriteOp[] = [];
  const drift: SpecDrift[] = [];
  const change = (c: Omit<SpecChange, 'integration' | 'username'>): void => {
    changes.push({ integration: base.integration, username: base.username, ...c });
  };
  const specGrant = (type: GrantType, name: string): SpecGrant | undefined => {
    const list = type === PSL ? integration.permissionSetLicenses : type === SET ? integration.permissionSets : integration.permissionSetGroups;
    return list.find((g) => g.name.toLowerCase() === name.toLowerCase());
  };

  if (!user) {
    change({ action: 'create', type: 'user', name: base.username, line: integration.line });
    ops.push({ kind: 'createUser', fields: input.fields ?? {} });
  } else {
    const patch: Record<string, UserFieldValue> = {};
    if (!user.isActive && !input.inactive) {
      change({ action: 'update', type: 'field', name: 'IsActive', from: 'false', to: 'true', line: integration.line });
      patch.IsActive = true;
    }
    for (const d of input.drift) {
      change({ action: 'update', type: 'field', name: d.field, from: str(d.org), to: str(d.requested), line: integration.line });
      patch[d.field] = d.requested;
    }
    if (Object.keys(patch).length > 0) ops.push({ kind: 'updateUser', fields: patch });
  }

  // Drift: what the user holds that the spec doesn't list (nor needs: the API PSL, a PSL a listed set or group needs).
  const deletes: WriteOp[] = [];
  if (user) {
    const keptPsls = new Set(input.grants.filter((g) => g.type === PSL).map((g) => g.id));
    for (const id of neededPsls(input.grants, input.catalog, input.licenses, user.userLicense)) keptPsls.add(id);
    const listed = (type: GrantType, held: Grant): boolean =>
      type === PSL ? [...keptPsls].some((id) => sameId(id, held.id)) : input.grants.some((g) => g.type === type && (sameId(g.id, held.id) || g.name.toLowerCase() === held.name.toLowerCase()));
    const extra = (type: GrantType, held: Grant[]): void => {
      for (const h of held.filter((g) => !listed(type, g))) {
        drift.push({ integration: base.integration, username: base.username, type, name: h.name, label: h.label, line: integration.line, pruned: input.prune });
        if (input.prune) {
          change({ action: 'unassign', type, name: h.name, line: integration.line });
          deletes.push({ kind: 'deleteAssignment', object: type === PSL ? 'PermissionSetLicenseAssign' : 'PermissionSetAssignment', id: h.assignmentId });
        }
      }
    };
    extra(SET, user.permissionSets);
    extra(GROUP, user.permissionSetGroups);
    extra(PSL, user.permissionSetLicenses);
  }
  // Sets and groups are removed before the PSLs they may need.
  ops.push(...deletes);

  for (const g of input.grants.filter((x) => x.status === 'add')) {
    const listedGrant = specGrant(g.type, g.name);
    change({
      action: 'assign',
      type: g.type,
      name: g.name,
      line: listedGrant?.line ?? integration.line,
      ...(listedGrant?.expires ? { to: listedGrant.expires } : {}),
      ...(listedGrant?.reason ? { reason: listedGrant.reason } : {}),
      ...(g.neededBy && !listedGrant ? { neededBy: g.neededBy } : {}),
    });
    ops.push({ kind: 'insertGrant', grant: { type: g.type, id: g.id, name: g.name, label: g.label }, ...(listedGrant?.expires ? { expires: listedGrant.expires } : {}) });
  }
  // Expiry dates of sets the user holds, where the spec gives one.
  if (user) {
    for (const g of input.grants.filter((x) => x.type === SET && x.status === 'present')) {
      const listedGrant = specGrant(SET, g.name);
      const held = user.permissionSets.find((h) => sameId(h.id, g.id));
      if (!listedGrant?.expires || !held) continue;
      const org = input.expiries.get(held.assignmentId) ?? null;
      const orgDate = org ? org.slice(0, 10) : null;
      if (orgDate !== listedGrant.expires) {
        change({ action: 'update', type: SET, name: g.name, from: orgDate, to: listedGrant.expires, line: listedGrant.line, ...(listedGrant.reason ? { reason: listedGrant.reason } : {}) });
        ops.push({ kind: 'updateExpiry', id: held.assignmentId, expires: listedGrant.expires });
      }
    }
  }
  if (user && input.inactive && user.isActive) {
    change({ action: 'deactivate', type: 'user', name: user.username, line: integration.line });
    ops.push({ kind: 'updateUser', fields: { IsActive: false } });
  }
  const status: IntegrationStatus = changes.length === 0 && drift.length === 0 ? 'converged' : 'differs';
  return { ...base, status, changes, drift, ops, wanted: input.grants };
}

function absentWork(base: PlannedIntegration, user: UserWithGrants | undefined): IntegrationWork {
  const changes: SpecChange[] = [];
  const ops: WriteOp[] = [];
  if (user) {
    const change = (c: Omit<SpecChange, 'integration' | 'username' | 'line'>): void => {
      changes.push({ integration: base.integration, username: base.username, line: base.line, ...c });
    };
    for (const [type, list, object] of [
      [SET, user.permissionSets, 'PermissionSetAssignment'],
      [GROUP, user.permissionSetGroups, 'PermissionSetAssignment'],
      [PSL, user.permissionSetLicenses, 'PermissionSetLicenseAssign'],
    ] as const) {
      for (const g of list) {
        change({ action: 'unassign', type, name: g.name });
        ops.push({ kind: 'deleteAssignment', object, id: g.assignmentId });
      }
    }
    if (user.isActive) {
      change({ action: 'deactivate', type: 'user', name: user.username });
      ops.push({ kind: 'updateUser', fields: { IsActive: false } });
    }
  }
  return { ...base, status: changes.length === 0 ? 'converged' : 'differs', changes, drift: [], ops, wanted: [] };
}

/** PSLs the planned sets and groups need (by their license), so holding them is not drift. */
function neededPsls(grants: readonly PlannedGrant[], catalog: Catalog, licenses: Licenses, userLicense: string | null): string[] {
  const ids: string[] = [];
  const add = (licenseId: string | null): void => {
    const fit = licenseFit(licenseId, userLicense, licenses);
    if (fit.ok && fit.requiresPsl) ids.push(fit.requiresPsl.id);
  };
  for (const g of grants) {
    if (g.type === SET) add(catalog.findSet(g.name)?.licenseId ?? null);
    if (g.type === GROUP) for (const c of catalog.findGroup(g.name)?.components ?? []) add(c.licenseId);
  }
  return ids;
}

/** The expiry dates of the users' direct permission set assignments, by assignment Id (only when the spec gives any). */
function expiriesRead(usernames: readonly string[]): ReadPart<Map<string, string | null>> {
  if (usernames.length === 0) return { queries: [], assemble: () => new Map() };
  return {
    queries: [
      `SELECT Id, ExpirationDate FROM PermissionSetAssignment WHERE PermissionSetGroupId = null AND AssigneeId IN (SELECT Id FROM User WHERE Username IN ${inList(usernames)})`,
    ],
    assemble([rows]: Row[][]): Map<string, string | null> {
      return new Map(rows.map((r) => [requiredStr(r, 'Id'), strOrNull(r, 'ExpirationDate')]));
    },
  };
}

/**
 * The licenses with every PSL seat free: what validateGrants checks per integration, while the seats of the
 * whole spec are counted and checked once by seatProblems.
 */
function withFreePslSeats(licenses: Licenses): Licenses {
  const free = (l: PermissionSetLicense): PermissionSetLicense => ({ ...l, seats: { ...l.seats, available: Number.MAX_SAFE_INTEGER } });
  const permissionSetLicenses = licenses.permissionSetLicenses.map(free);
  const byId = (l: PermissionSetLicense | undefined): PermissionSetLicense | undefined => (l ? permissionSetLicenses.find((x) => x.id === l.id) : undefined);
  return {
    ...licenses,
    permissionSetLicenses,
    apiIntegrationPsl: byId(licenses.apiIntegrationPsl),
    byId: (id) => {
      const t = licenses.byId(id);
      return t?.kind === 'psl' ? { kind: 'psl', license: byId(t.license) ?? t.license } : t;
    },
    findPsl: (name) => byId(licenses.findPsl(name)),
  };
}

/** The spec's seats against the org's, once per license: the seats used as the org counts them, and what the whole spec needs. */
function seatProblems(licenses: Licenses, integrationSeatsFor: readonly string[], pslSeatsFor: ReadonlyMap<string, readonly string[]>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const shown = (name: string): string => (hasControlCharacters(name) ? showControlCharacters(name) : name);
  const who = (names: readonly string[]): string => {
    const first = names.slice(0, 5).map(shown).join(', ');
    return names.length <= 5 ? first : `${first} and ${names.length - 5} more`;
  };
  const license = licenses.integrationLicense;
  if (license && integrationSeatsFor.length > license.seats.available) {
    problems.push({
      message: messages.getMessage('plan.NoIntegrationSeats', [license.seats.used, license.seats.total, integrationSeatsFor.length, who(integrationSeatsFor)]),
      actions: [...grantProblem('NoIntegrationSeats', [license.seats.used, license.seats.total]).actions, ...messages.getMessages('plan.NoSeats.actions')],
    });
  }
  for (const [id, names] of pslSeatsFor) {
    const target = licenses.byId(id);
    if (target?.kind !== 'psl' || names.length <= target.license.seats.available) continue;
    const { label, seats } = target.license;
    problems.push({
      message: messages.getMessage('plan.NoPslSeats', [label, seats.used, seats.total, names.length, who(names)]),
      actions: [...grantProblem('NoPslSeats', [label, seats.used, seats.total, names.length]).actions, ...messages.getMessages('plan.NoSeats.actions')],
    });
  }
  return problems;
}

/** A problem the plan found, at its place in the spec when it has one (a key's value, else the integration's entry). */
type PlanProblem = Problem & { place?: SpecPlace };

function grantPlace(integration: ResolvedIntegration, g: SpecGrant): SpecPlace | undefined {
  if (g.key && g.column) return { line: g.line, column: g.column, key: g.key };
  return integration.place;
}

/**
 * Where an integration's problems go: the problems found here by key (control characters worded by the
 * spec's key, not a flag; each given field's own checks at its value), and `place` for the rest: a problem
 * the per-key checks already found goes to that key, one naming a listed grant to the grant, any other to
 * the integration's entry with its name.
 */
function locator(integration: ResolvedIntegration): { own: PlanProblem[]; place: (p: Problem) => PlanProblem } {
  const own: PlanProblem[] = [];
  const byMessage = new Map<string, PlanProblem>();
  const at = (key: string): SpecPlace | undefined => integration.at[key] ?? integration.place;
  const control = (specKey: string, flagOrField: string, value: string | undefined): void => {
    if (typeof value !== 'string' || !hasControlCharacters(value)) return;
    const shown = showControlCharacters(value);
    const located = { ...grantProblem('ControlCharacters', [specKey, shown]), place: at(specKey) };
    located.actions = [...located.actions, ...fixKey(located.place)];
    own.push(located);
    byMessage.set(grantProblem('ControlCharacters', [flagOrField, shown]).message, located);
  };
  control('name', '--name', integration.name);
  // the name that derives no username: at the name, with the spec's key for the username
  const noLatin = grantProblem('NameWithoutLatin', [integration.name]).message;
  byMessage.set(noLatin, { message: noLatin, actions: messages.getMessages('plan.NameWithoutLatin.actions'), place: at('name') });
  control('username', '--username', integration.username);
  for (const [key, value] of Object.entries(integration.fields) as Array<[UserFieldKey, string]>) {
    control(key, USER_FIELDS[key], value);
    if (hasControlCharacters(value)) continue;
    for (const p of checkGivenFields({ [USER_FIELDS[key]]: value })) {
      // the grant modules' actions name create's flags: a spec has keys
      const located = { ...p, actions: fixKey(at(key)), place: at(key) };
      own.push(located);
      byMessage.set(p.message, located);
    }
  }
  const grants = [...integration.permissionSetLicenses, ...integration.permissionSets, ...integration.permissionSetGroups];
  const place = (p: Problem): PlanProblem => {
    const known = byMessage.get(p.message);
    if (known) return known;
    const grant = grants.find((g) => p.message.includes(`"${g.name}"`));
    if (grant) return { ...p, place: grantPlace(integration, grant) };
    return { ...p, message: messages.getMessage('plan.Problem', [integration.name, p.message]), place: integration.place ?? { line: integration.line, column: 1, key: '' } };
  };
  return { own, place };
}

function fixKey(place: SpecPlace | undefined): string[] {
  return place ? messages.getMessages('plan.FixKey.actions', [place.key, place.line]) : [];
}

function dedupeProblems(problems: readonly PlanProblem[]): PlanProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.place?.key ?? ''}|${p.message}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

/** Write requests: the integrations with something to write, as graphs packed within the request limits. */
export function graphRequestCount(work: readonly IntegrationWork[]): number {
  return packGraphs(work.filter((w) => w.ops.length > 0).map((w) => w.ops.length)).length;
}

/** Packs graphs of the given node counts into requests of ≤ 75 graphs and ≤ 500 nodes; returns the index lists. */
export function packGraphs(sizes: readonly number[], maxGraphs = 75, maxNodes = 500): number[][] {
  const requests: number[][] = [];
  let current: number[] = [];
  let nodes = 0;
  sizes.forEach((size, i) => {
    if (current.length > 0 && (current.length >= maxGraphs || nodes + size > maxNodes)) {
      requests.push(current);
      current = [];
      nodes = 0;
    }
    current.push(i);
    nodes += size;
  });
  if (current.length > 0) requests.push(current);
  return requests;
}

/** The plan errors planSpec throws (told from an org read's own errors). */
const planErrors = new WeakSet<object>();

/**
 * One error with every problem: the spec's own (deferred by loadSpec) and the plan's, each at its place
 * in the file as `file:line:column: key: message` (in line order), then those of the whole spec (seats,
 * rights, two integrations on one user).
 */
function planError(spec: ResolvedSpec, problems: readonly PlanProblem[]): SfError {
  const placed: SpecProblem[] = [
    ...(spec.problems ?? []),
    ...problems.flatMap((p) => (p.place ? [{ ...p.place, message: p.message, actions: p.actions }] : [])),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
  const unplaced = problems.filter((p) => !p.place);
  const bullets = [...placed.map((p) => specBullet(spec.file, p)), ...unplaced.map((p) => `- ${p.message}`)].join('\n');
  const where = spec.environment ? `${spec.file} (environment ${spec.environment})` : spec.file;
  const count = placed.length + unplaced.length;
  // the problems' own actions (error.PlanFailed has no .actions message: given as action tokens they were dropped)
  const error = messages.createError('error.PlanFailed', [where, countOf(count, 'problem'), bullets]);
  const specActions = (spec.problems?.length ?? 0) > 0 ? messages.getMessages('error.SpecInvalid.actions') : [];
  error.actions = [...new Set([...specActions, ...placed.flatMap((p) => p.actions ?? []), ...unplaced.flatMap((p) => p.actions)])];
  error.exitCode = 1;
  planErrors.add(error);
  return error;
}

/** Counts the HTTP requests made through a connection. */
export function countRequests(conn: OrgConnection): { conn: OrgConnection; count: () => number } {
  let n = 0;
  const wrapped: OrgConnection = {
    request: ((...args: Parameters<OrgConnection['request']>) => {
      n++;
      return conn.request(...args);
    }),
    getApiVersion: () => conn.getApiVersion(),
    getUsername: () => conn.getUsername(),
  };
  return { conn: wrapped, count: () => n };
}

function unique(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => (seen.has(n.toLowerCase()) ? false : (seen.add(n.toLowerCase()), true)));
}

function str(value: UserFieldValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}
