/**
 * PermissionSetAssignment rules: one of set / group, no profile-owned or aggregate sets, groups must be
 * `Updated`, duplicates refused, PSL auto-assignment (option `pslAutoAssign`), and the license rules
 * (docs/platform-facts.md §2, strict) for the set or every component.
 */
import type { Context } from '../core/context.js';
import { requireFields } from '../core/fields.js';
import { text } from '../core/http.js';
import { sameId } from '../core/ids.js';
import type { ObjectRules } from '../core/model.js';
import { settingsOf } from './settings.js';
import { OBJECT_PERMISSIONS, OBJECT_PLURAL_LABELS, SYSTEM_PERMISSIONS } from './schema.js';
import { SalesforceError, type SRecord } from '../core/types.js';

const INTEGRATION_LICENSE = 'Salesforce Integration';
const INTEGRATION_PSL = 'SalesforceAPIIntegrationPsl';
/** Permissions the `Salesforce Integration` license grants without the API Integration PSL. */
const INTEGRATION_BASE_PERMISSIONS = new Set(['ApiEnabled', 'ApiUserOnly']);

const PROFILE_SET = "You can't assign or unassign this permission set because it's associated with a profile.";

function get(ctx: Context, id: unknown): SRecord {
  const found = ctx.db.byId(String(id));
  if (!found) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  return found.record;
}

const duplicate = (existing: SRecord): SalesforceError =>
  new SalesforceError('DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${existing.Id}`);

/** Labels of what a set grants, objects first ("Read Accounts"), then system permissions ("View All Data"). */
function grantedPermissions(ctx: Context, set: SRecord): Array<{ label: string; standard: boolean; name: string }> {
  const granted: Array<{ label: string; standard: boolean; name: string }> = [];
  for (const row of ctx.db.records('ObjectPermissions')) {
    if (!sameId(String(row.ParentId), set.Id)) continue;
    const sobject = String(row.SobjectType);
    const plural = OBJECT_PLURAL_LABELS[sobject] ?? sobject;
    for (const [field, verb] of Object.entries(OBJECT_PERMISSIONS)) {
      if (row[field] === true) granted.push({ label: `${verb} ${plural}`, standard: !sobject.endsWith('__c'), name: sobject });
    }
  }
  for (const [name, label] of Object.entries(SYSTEM_PERMISSIONS)) {
    if (set[`Permissions${name}`] === true) granted.push({ label, standard: !INTEGRATION_BASE_PERMISSIONS.has(name), name });
  }
  return granted;
}

function holdsPsl(ctx: Context, userId: string, pslId: string): boolean {
  return ctx.db.records('PermissionSetLicenseAssign').some((a) => sameId(String(a.AssigneeId), userId) && sameId(String(a.PermissionSetLicenseId), pslId));
}

/**
 * What a PSL needs to be assigned to `assignee` (explicitly or automatically): to be Active, and a free seat
 * when the assignee is active (inactive users' assignments take no seat).
 */
export function checkPslAssignable(ctx: Context, assignee: SRecord, psl: SRecord, fields: string[] = []): void {
  if (psl.Status !== 'Active') {
    throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `The permission set license ${String(psl.MasterLabel)} isn't active.`, 400, fields);
  }
  if (assignee.IsActive === true && Number(psl.UsedLicenses) >= Number(psl.TotalLicenses)) {
    throw new SalesforceError('LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');
  }
}

/** The PSL a set's License names, if it names a PSL (not a user license, not none). */
function pslOf(ctx: Context, set: SRecord): SRecord | undefined {
  if (!set.LicenseId) return undefined;
  const found = ctx.db.byId(text(set.LicenseId));
  return found?.type === 'PermissionSetLicense' ? found.record : undefined;
}

/**
 * PSL auto-assignment (Help, "Create a Permission Set Associated with a Permission Set License": any user
 * assigned to such a set is auto-assigned its PSL). With `pslAutoAssign` on, each PSL the sets name and the
 * user lacks is assigned here, in the PSA's own transaction (a later failure rolls it back), taking a seat.
 */
function autoAssignPsls(ctx: Context, user: SRecord, sets: SRecord[]): void {
  if (!settingsOf(ctx).pslAutoAssign) return;
  for (const set of sets) {
    const psl = pslOf(ctx, set);
    if (!psl || holdsPsl(ctx, user.Id, psl.Id)) continue;
    checkPslAssignable(ctx, user, psl);
    const at = ctx.now().toISOString();
    ctx.db.insert('PermissionSetLicenseAssign', {
      AssigneeId: user.Id,
      PermissionSetLicenseId: psl.Id,
      CreatedDate: at,
      CreatedById: ctx.org.userId,
      LastModifiedDate: at,
      LastModifiedById: ctx.org.userId,
      SystemModstamp: at,
    });
  }
}

/** FIELD_INTEGRITY_EXCEPTION (docs/platform-facts.md §3) when the user's license and PSLs don't allow what the set grants. */
function checkLicense(ctx: Context, user: SRecord, set: SRecord): void {
  const userLicense = get(ctx, get(ctx, user.ProfileId).UserLicenseId);
  const granted = grantedPermissions(ctx, set);
  const refuse = (permission: string): never => {
    throw new SalesforceError(
      'FIELD_INTEGRITY_EXCEPTION',
      `Can't assign permission set ${String(set.Label)} to user ${String(user.Name)}. The user license doesn't allow the permission: ${permission}`
    );
  };
  if (set.LicenseId) {
    const license = ctx.db.byId(text(set.LicenseId));
    const fallback = String(license?.record.MasterLabel);
    if (license?.type === 'UserLicense' && !sameId(license.record.Id, userLicense.Id)) refuse(granted[0]?.label ?? fallback);
    if (license?.type === 'PermissionSetLicense' && !holdsPsl(ctx, user.Id, license.record.Id)) refuse(granted[0]?.label ?? fallback);
    return;
  }
  if (userLicense.Name !== INTEGRATION_LICENSE) return;
  const apiPsl = ctx.db.records('PermissionSetLicense').find((p) => p.DeveloperName === INTEGRATION_PSL);
  if (apiPsl && holdsPsl(ctx, user.Id, apiPsl.Id)) return;
  const forbidden = granted.find((g) => g.standard);
  if (forbidden) refuse(forbidden.label);
}

/** Labels of the sets (directly or through groups) the user holds that are licensed by `pslId`. */
export function licensedSetsHeld(ctx: Context, userId: string, pslId: string): string[] {
  const labels: string[] = [];
  for (const a of ctx.db.records('PermissionSetAssignment')) {
    if (!sameId(String(a.AssigneeId), userId)) continue;
    const sets = a.PermissionSetGroupId ? componentSets(ctx, text(a.PermissionSetGroupId)) : [get(ctx, a.PermissionSetId)];
    for (const s of sets) if (s.LicenseId && sameId(text(s.LicenseId), pslId)) labels.push(String(s.Label));
  }
  return labels;
}

function componentSets(ctx: Context, groupId: string): SRecord[] {
  return ctx.db
    .records('PermissionSetGroupComponent')
    .filter((c) => sameId(String(c.PermissionSetGroupId), groupId))
    .map((c) => get(ctx, c.PermissionSetId))
    .filter((s) => s.Type !== 'Muting');
}

function assignSet(ctx: Context, user: SRecord, set: SRecord): Record<string, unknown> {
  if (set.IsOwnedByProfile === true) throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', PROFILE_SET, 400, ['PermissionSetId']);
  if (set.PermissionSetGroupId) {
    throw new SalesforceError(
      'FIELD_INTEGRITY_EXCEPTION',
      "You can't assign a permission set group's aggregate permission set. Assign the permission set group instead.",
      400,
      ['PermissionSetId']
    );
  }
  const existing = ctx.db
    .records('PermissionSetAssignment')
    .find((a) => sameId(String(a.AssigneeId), user.Id) && !a.PermissionSetGroupId && sameId(String(a.PermissionSetId), set.Id));
  if (existing) throw duplicate(existing);
  autoAssignPsls(ctx, user, [set]);
  checkLicense(ctx, user, set);
  return { PermissionSetId: set.Id, PermissionSetGroupId: null, IsActive: set.HasActivationRequired !== true };
}

function assignGroup(ctx: Context, user: SRecord, group: SRecord): Record<string, unknown> {
  const existing = ctx.db
    .records('PermissionSetAssignment')
    .find((a) => sameId(String(a.AssigneeId), user.Id) && a.PermissionSetGroupId && sameId(text(a.PermissionSetGroupId), group.Id));
  if (existing) throw duplicate(existing);
  if (group.Status !== 'Updated') {
    throw new SalesforceError(
      'FIELD_INTEGRITY_EXCEPTION',
      `Can't assign permission set group ${String(group.MasterLabel)} to user ${String(user.Name)}. The permission set group's status is ${String(group.Status)}; it must be Updated.`,
      400,
      ['PermissionSetGroupId']
    );
  }
  const components = componentSets(ctx, group.Id);
  autoAssignPsls(ctx, user, components);
  for (const set of components) checkLicense(ctx, user, set);
  const aggregate = ctx.db.records('PermissionSet').find((s) => s.PermissionSetGroupId && sameId(text(s.PermissionSetGroupId), group.Id));
  return { PermissionSetId: aggregate?.Id ?? null, PermissionSetGroupId: group.Id, IsActive: group.HasActivationRequired !== true };
}

export const assignmentRules: ObjectRules = {
  insert(ctx, values) {
    requireFields(values, ['AssigneeId']);
    const hasSet = Boolean(values.PermissionSetId);
    const hasGroup = Boolean(values.PermissionSetGroupId);
    if (!hasSet && !hasGroup) requireFields(values, ['PermissionSetId']);
    if (hasSet && hasGroup) {
      throw new SalesforceError(
        'FIELD_INTEGRITY_EXCEPTION',
        'Specify either a permission set or a permission set group, not both.',
        400,
        ['PermissionSetId', 'PermissionSetGroupId']
      );
    }
    const user = get(ctx, values.AssigneeId);
    const target = hasSet ? assignSet(ctx, user, get(ctx, values.PermissionSetId)) : assignGroup(ctx, user, get(ctx, values.PermissionSetGroupId));
    return { ExpirationDate: null, ...values, ...target, SystemModstamp: ctx.now().toISOString() };
  },
  delete(ctx, assignment) {
    const set = ctx.db.byId(String(assignment.PermissionSetId))?.record;
    if (set?.IsOwnedByProfile === true) throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', PROFILE_SET);
  },
};
