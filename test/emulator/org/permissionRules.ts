/**
 * Permission set writes: PermissionSet, PermissionSetGroup, PermissionSetGroupComponent, ObjectPermissions and
 * FieldPermissions (create / update / delete over sObject REST, composite and collections). Names unique and
 * developer-name shaped, a set's license fixed once created, standard profiles' and groups' own sets read-only,
 * object and system permission dependencies, license limits, assigned sets and groups not deletable, and each
 * group's aggregate set recalculated (Outdated → Updated) in the same transaction as the change. The choices
 * Salesforce's documentation leaves open are listed in README.md.
 */
import type { Context } from '../core/context.js';
import { requireFields } from '../core/fields.js';
import { text } from '../core/http.js';
import { sameId } from '../core/ids.js';
import type { ObjectRules } from '../core/model.js';
import { OBJECT_PERMISSIONS, OBJECT_PLURAL_LABELS, SYSTEM_PERMISSIONS } from './schema.js';
import { SalesforceError, type SRecord } from '../core/types.js';

/** Object permission → the permissions it depends on (Setup enables them together; the API refuses one without the other). */
const OBJECT_DEPENDENCIES: Record<string, string[]> = {
  PermissionsCreate: ['PermissionsRead'],
  PermissionsEdit: ['PermissionsRead'],
  PermissionsDelete: ['PermissionsRead', 'PermissionsEdit'],
  PermissionsViewAllRecords: ['PermissionsRead'],
  PermissionsModifyAllRecords: ['PermissionsRead', 'PermissionsEdit', 'PermissionsDelete', 'PermissionsViewAllRecords'],
  PermissionsViewAllFields: ['PermissionsRead'],
};

/** A few cheap system permission dependencies (the platform has many more). */
const SYSTEM_DEPENDENCIES: Record<string, string[]> = {
  ModifyAllData: ['ViewAllData'],
  ManageUsers: ['ViewSetup', 'ManageInternalUsers'],
  ManageInternalUsers: ['ViewSetup'],
  AssignPermissionSets: ['ViewSetup'],
  ManageProfilesPermissionsets: ['ViewSetup'],
  CustomizeApplication: ['ViewSetup'],
  ApiUserOnly: ['ApiEnabled'],
};

/** Standard objects a user license does not allow (facts: the Platform license has no CRM objects; Identity and Integration none without a PSL). */
const LICENSE_DENIED_OBJECTS: Record<string, string[] | 'all-standard'> = {
  'Salesforce Platform': ['Opportunity', 'Campaign', 'Lead', 'Case'],
  Identity: 'all-standard',
  'Salesforce Integration': 'all-standard',
};
/** System permissions a user license allows, when it restricts them (Identity, Integration without the PSL). */
const LICENSE_ALLOWED_SYSTEM: Record<string, string[]> = {
  Identity: ['ApiEnabled'],
  'Salesforce Integration': ['ApiEnabled', 'ApiUserOnly'],
};

const DEVELOPER_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;
const NAME_RULE =
  'can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';

const readOnly = (): SalesforceError => new SalesforceError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');

function get(ctx: Context, id: unknown): SRecord {
  const found = ctx.db.byId(text(id));
  if (!found) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  return found.record;
}

function checkDeveloperName(value: unknown, field: string, label: string): void {
  if (typeof value === 'string' && (!DEVELOPER_NAME.test(value) || value.endsWith('_'))) {
    throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `The ${label} field ${NAME_RULE}`, 400, [field]);
  }
}

function checkUniqueName(ctx: Context, type: 'PermissionSet' | 'PermissionSetGroup', field: string, value: unknown, self?: string): void {
  if (typeof value !== 'string') return;
  const lower = value.toLowerCase();
  const clash = ctx.db
    .records(type)
    .find((r) => !r.NamespacePrefix && String(r[field]).toLowerCase() === lower && (self === undefined || !sameId(r.Id, self)));
  if (clash) {
    throw new SalesforceError('DUPLICATE_DEVELOPER_NAME', `The API name ${value} is already in use. Enter a unique name.`, 400, [field]);
  }
}

/** Profile-owned sets (every seeded profile is a standard profile) and groups' aggregate sets cannot be written. */
function checkWritableSet(set: SRecord): void {
  if (set.IsOwnedByProfile === true || set.PermissionSetGroupId || set.Type === 'Group' || set.Type === 'Profile') throw readOnly();
}

/** The user license a set is restricted to (its LicenseId names a UserLicense), if any. */
function userLicenseName(ctx: Context, set: Record<string, unknown>): string | undefined {
  if (!set.LicenseId) return undefined;
  const found = ctx.db.byId(text(set.LicenseId));
  return found?.type === 'UserLicense' ? String(found.record.Name) : undefined;
}

const licenseRefusal = (permission: string, field?: string): SalesforceError =>
  new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `The user license doesn't allow the permission: ${permission}`, 400, field ? [field] : []);

function objectLabel(field: string, sobject: string): string {
  return `${OBJECT_PERMISSIONS[field]} ${OBJECT_PLURAL_LABELS[sobject] ?? sobject}`;
}

/** System permissions turned on in `values` must be allowed by the set's user license, and their dependencies held. */
function checkSystemPermissions(ctx: Context, final: Record<string, unknown>, values: Record<string, unknown>): void {
  const license = userLicenseName(ctx, final);
  const allowed = license ? LICENSE_ALLOWED_SYSTEM[license] : undefined;
  for (const [name, label] of Object.entries(SYSTEM_PERMISSIONS)) {
    if (values[`Permissions${name}`] === true && allowed && !allowed.includes(name)) throw licenseRefusal(label, `Permissions${name}`);
  }
  for (const [name, dependencies] of Object.entries(SYSTEM_DEPENDENCIES)) {
    if (final[`Permissions${name}`] !== true) continue;
    const touched = `Permissions${name}` in values || dependencies.some((d) => `Permissions${d}` in values);
    const missing = dependencies.filter((d) => final[`Permissions${d}`] !== true);
    if (touched && missing.length > 0) {
      throw new SalesforceError(
        'FIELD_INTEGRITY_EXCEPTION',
        `Permission ${SYSTEM_PERMISSIONS[name]} depends on permission(s): ${missing.map((d) => SYSTEM_PERMISSIONS[d]).join(', ')}`,
        400,
        [`Permissions${name}`]
      );
    }
  }
}

/** An ObjectPermissions row (as it will be stored) obeys the dependencies and its parent's user license. */
function checkObjectRow(ctx: Context, parent: SRecord, row: Record<string, unknown>, values: Record<string, unknown>): void {
  const sobject = String(row.SobjectType);
  for (const [field, dependencies] of Object.entries(OBJECT_DEPENDENCIES)) {
    if (row[field] !== true) continue;
    const missing = dependencies.filter((d) => row[d] !== true);
    if (missing.length > 0) {
      throw new SalesforceError(
        'FIELD_INTEGRITY_EXCEPTION',
        `Permission ${objectLabel(field, sobject)} depends on permission(s): ${missing.map((d) => objectLabel(d, sobject)).join(', ')}`,
        400,
        [field]
      );
    }
  }
  const license = userLicenseName(ctx, parent);
  const denied = license ? LICENSE_DENIED_OBJECTS[license] : undefined;
  const standard = !sobject.endsWith('__c');
  if (!denied || !(denied === 'all-standard' ? standard : denied.includes(sobject))) return;
  const granted = Object.keys(OBJECT_PERMISSIONS).find((f) => values[f] === true);
  if (granted) throw licenseRefusal(objectLabel(granted, sobject), granted);
}

// ---- groups: components and the aggregate set ----

function aggregateOf(ctx: Context, groupId: string): SRecord | undefined {
  return ctx.db.records('PermissionSet').find((s) => s.PermissionSetGroupId && sameId(text(s.PermissionSetGroupId), groupId));
}

function componentsOf(ctx: Context, groupId: string): SRecord[] {
  return ctx.db.records('PermissionSetGroupComponent').filter((c) => sameId(text(c.PermissionSetGroupId), groupId));
}

function groupsContaining(ctx: Context, setId: string): string[] {
  return [...new Set(ctx.db.records('PermissionSetGroupComponent').filter((c) => sameId(text(c.PermissionSetId), setId)).map((c) => text(c.PermissionSetGroupId)))];
}

/** Rebuilds a child table of the aggregate (ObjectPermissions by SobjectType, FieldPermissions by Field) as the union of the components'. */
function rebuildChildren(ctx: Context, table: 'ObjectPermissions' | 'FieldPermissions', key: string, flags: string[], aggregate: SRecord, sets: SRecord[]): void {
  for (const row of ctx.db.records(table).filter((r) => sameId(text(r.ParentId), aggregate.Id))) ctx.db.delete(row.Id);
  const union = new Map<string, Record<string, unknown>>();
  for (const row of ctx.db.records(table)) {
    if (!sets.some((s) => sameId(s.Id, text(row.ParentId)))) continue;
    const merged = union.get(text(row[key])) ?? { SobjectType: row.SobjectType, ...(key === 'Field' ? { Field: row.Field } : {}) };
    for (const f of flags) merged[f] = merged[f] === true || row[f] === true;
    union.set(text(row[key]), merged);
  }
  const at = ctx.now().toISOString();
  for (const values of union.values()) {
    ctx.db.insert(table, { ParentId: aggregate.Id, ...values, CreatedDate: at, CreatedById: ctx.org.userId, LastModifiedDate: at, LastModifiedById: ctx.org.userId, SystemModstamp: at });
  }
}

/**
 * A component changed: the group goes Outdated, and — as Help says changes to custom permission sets are
 * recalculated immediately — its aggregate set is rebuilt from the (non-muting) components and it is Updated
 * again, all in the current transaction.
 */
export function recalculateGroup(ctx: Context, groupId: string): void {
  const group = ctx.db.byId(groupId)?.record;
  const aggregate = aggregateOf(ctx, groupId);
  if (!group || !aggregate) return;
  ctx.db.update(group, { Status: 'Outdated' });
  const sets = componentsOf(ctx, groupId)
    .map((c) => ctx.db.byId(text(c.PermissionSetId))?.record)
    .filter((s): s is SRecord => s !== undefined && s.Type !== 'Muting');
  const permissions: Record<string, boolean> = {};
  for (const name of Object.keys(SYSTEM_PERMISSIONS)) permissions[`Permissions${name}`] = sets.some((s) => s[`Permissions${name}`] === true);
  ctx.db.update(aggregate, { ...permissions, Label: group.MasterLabel, SystemModstamp: ctx.now().toISOString() });
  rebuildChildren(ctx, 'ObjectPermissions', 'SobjectType', Object.keys(OBJECT_PERMISSIONS), aggregate, sets);
  rebuildChildren(ctx, 'FieldPermissions', 'Field', ['PermissionsRead', 'PermissionsEdit'], aggregate, sets);
  ctx.db.update(group, { Status: 'Updated' });
}

function recalculateGroupsOf(ctx: Context, setId: string): void {
  for (const groupId of groupsContaining(ctx, setId)) recalculateGroup(ctx, groupId);
}

const deleteFailed = (message: string): SalesforceError => new SalesforceError('DELETE_FAILED', message);

function assignedUsers(ctx: Context, match: (a: SRecord) => boolean): number {
  return ctx.db.records('PermissionSetAssignment').filter(match).length;
}

// ---- rules per object ----

const SET_DEFAULTS = { IsOwnedByProfile: false, ProfileId: null, PermissionSetGroupId: null, Type: 'Regular', IsCustom: true, NamespacePrefix: null };

const permissionSetRules: ObjectRules = {
  insert(ctx, values) {
    requireFields(values, ['Name', 'Label']);
    checkDeveloperName(values.Name, 'Name', 'API Name');
    checkUniqueName(ctx, 'PermissionSet', 'Name', values.Name);
    const final = { ...values, ...SET_DEFAULTS };
    checkSystemPermissions(ctx, final, values);
    return final;
  },
  update(ctx, set, values) {
    checkWritableSet(set);
    if ('Name' in values) {
      requireFields(values, ['Name']);
      checkDeveloperName(values.Name, 'Name', 'API Name');
      checkUniqueName(ctx, 'PermissionSet', 'Name', values.Name, set.Id);
    }
    if ('Label' in values) requireFields(values, ['Label']);
    const [before, after] = [text(set.LicenseId), text(values.LicenseId)];
    if ('LicenseId' in values && (before === '' || after === '' ? before !== after : !sameId(before, after))) {
      throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', "You can't change the license of a permission set after it's created.", 400, ['LicenseId']);
    }
    checkSystemPermissions(ctx, { ...set, ...values }, values);
    return values;
  },
  afterUpdate(ctx, set, changes) {
    // Only a change of what the set grants is recalculated into its groups (a label or description is not).
    if (Object.keys(changes).some((k) => k.startsWith('Permissions'))) recalculateGroupsOf(ctx, set.Id);
  },
  delete(ctx, set) {
    checkWritableSet(set);
    const assigned = assignedUsers(ctx, (a) => !a.PermissionSetGroupId && sameId(text(a.PermissionSetId), set.Id));
    if (assigned > 0) {
      throw deleteFailed(`Can't delete the permission set ${String(set.Label)}: it's assigned to ${assigned} user(s). Remove the assignments first.`);
    }
    const groups = groupsContaining(ctx, set.Id).map((id) => String(ctx.db.byId(id)?.record.MasterLabel));
    if (groups.length > 0) {
      throw deleteFailed(`Can't delete the permission set ${String(set.Label)}: it's included in permission set group(s): ${groups.join(', ')}. Remove it from the groups first.`);
    }
    for (const table of ['ObjectPermissions', 'FieldPermissions', 'SetupEntityAccess']) {
      for (const row of ctx.db.records(table).filter((r) => sameId(text(r.ParentId), set.Id))) ctx.db.delete(row.Id);
    }
  },
};

const groupRules: ObjectRules = {
  insert(ctx, values) {
    requireFields(values, ['DeveloperName', 'MasterLabel']);
    checkDeveloperName(values.DeveloperName, 'DeveloperName', 'Developer Name');
    checkUniqueName(ctx, 'PermissionSetGroup', 'DeveloperName', values.DeveloperName);
    return { ...values, NamespacePrefix: null, Status: 'Updated' };
  },
  afterInsert(ctx, group) {
    const at = ctx.now().toISOString();
    const permissions: Record<string, boolean> = {};
    for (const name of Object.keys(SYSTEM_PERMISSIONS)) permissions[`Permissions${name}`] = false;
    ctx.db.insert('PermissionSet', {
      Name: `X0PG${group.Id.slice(4, 15)}`,
      Label: group.MasterLabel,
      Description: null,
      LicenseId: null,
      ...SET_DEFAULTS,
      PermissionSetGroupId: group.Id,
      Type: 'Group',
      IsCustom: false,
      HasActivationRequired: false,
      ...permissions,
      CreatedDate: at,
      CreatedById: ctx.org.userId,
      LastModifiedDate: at,
      LastModifiedById: ctx.org.userId,
      SystemModstamp: at,
    });
  },
  update(ctx, group, values) {
    if ('DeveloperName' in values) {
      requireFields(values, ['DeveloperName']);
      checkDeveloperName(values.DeveloperName, 'DeveloperName', 'Developer Name');
      checkUniqueName(ctx, 'PermissionSetGroup', 'DeveloperName', values.DeveloperName, group.Id);
    }
    if ('MasterLabel' in values) requireFields(values, ['MasterLabel']);
    return values;
  },
  afterUpdate(ctx, group) {
    const aggregate = aggregateOf(ctx, group.Id);
    if (aggregate && aggregate.Label !== group.MasterLabel) ctx.db.update(aggregate, { Label: group.MasterLabel });
  },
  delete(ctx, group) {
    const assigned = assignedUsers(ctx, (a) => Boolean(a.PermissionSetGroupId) && sameId(text(a.PermissionSetGroupId), group.Id));
    if (assigned > 0) {
      throw deleteFailed(`Can't delete the permission set group ${String(group.MasterLabel)}: it's assigned to ${assigned} user(s). Remove the assignments first.`);
    }
    for (const c of componentsOf(ctx, group.Id)) ctx.db.delete(c.Id);
    const aggregate = aggregateOf(ctx, group.Id);
    if (aggregate) {
      for (const table of ['ObjectPermissions', 'FieldPermissions']) {
        for (const row of ctx.db.records(table).filter((r) => sameId(text(r.ParentId), aggregate.Id))) ctx.db.delete(row.Id);
      }
      ctx.db.delete(aggregate.Id);
    }
  },
};

const componentRules: ObjectRules = {
  insert(ctx, values) {
    requireFields(values, ['PermissionSetGroupId', 'PermissionSetId']);
    const set = get(ctx, values.PermissionSetId);
    if (set.IsOwnedByProfile === true || set.PermissionSetGroupId || set.Type === 'Group' || set.Type === 'Profile') {
      throw new SalesforceError(
        'FIELD_INTEGRITY_EXCEPTION',
        "A permission set group can include only permission sets that aren't associated with a profile or another permission set group.",
        400,
        ['PermissionSetId']
      );
    }
    const existing = componentsOf(ctx, text(values.PermissionSetGroupId)).find((c) => sameId(text(c.PermissionSetId), set.Id));
    if (existing) {
      throw new SalesforceError('DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${existing.Id}`);
    }
    return values;
  },
  afterInsert(ctx, component) {
    recalculateGroup(ctx, text(component.PermissionSetGroupId));
  },
  afterDelete(ctx, component) {
    recalculateGroup(ctx, text(component.PermissionSetGroupId));
  },
};

function writableParent(ctx: Context, parentId: unknown): SRecord {
  const parent = get(ctx, parentId);
  checkWritableSet(parent);
  return parent;
}

const objectPermissionRules: ObjectRules = {
  insert(ctx, values) {
    requireFields(values, ['ParentId', 'SobjectType']);
    const parent = writableParent(ctx, values.ParentId);
    const existing = ctx.db
      .records('ObjectPermissions')
      .find((r) => sameId(text(r.ParentId), parent.Id) && r.SobjectType === values.SobjectType);
    if (existing) {
      throw new SalesforceError('DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${existing.Id}`);
    }
    const row: Record<string, unknown> = { ...values };
    for (const f of Object.keys(OBJECT_PERMISSIONS)) row[f] = values[f] === true;
    checkObjectRow(ctx, parent, row, values);
    return row;
  },
  afterInsert(ctx, row) {
    recalculateGroupsOf(ctx, text(row.ParentId));
  },
  update(ctx, row, values) {
    const parent = writableParent(ctx, row.ParentId);
    checkObjectRow(ctx, parent, { ...row, ...values }, values);
    return values;
  },
  afterUpdate(ctx, row) {
    recalculateGroupsOf(ctx, text(row.ParentId));
  },
  delete(ctx, row) {
    writableParent(ctx, row.ParentId);
  },
  afterDelete(ctx, row) {
    recalculateGroupsOf(ctx, text(row.ParentId));
  },
};

function checkFieldRow(row: Record<string, unknown>): void {
  if (row.PermissionsEdit === true && row.PermissionsRead !== true) {
    throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `Permission Edit ${String(row.Field)} depends on permission(s): Read ${String(row.Field)}`, 400, ['PermissionsEdit']);
  }
}

const fieldPermissionRules: ObjectRules = {
  insert(ctx, values) {
    requireFields(values, ['ParentId', 'SobjectType', 'Field']);
    const parent = writableParent(ctx, values.ParentId);
    const field = String(values.Field);
    if (!field.toLowerCase().startsWith(`${String(values.SobjectType).toLowerCase()}.`) || !/^[A-Za-z]\w*\.[A-Za-z]\w*$/.test(field)) {
      throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `Field: ${field} is not a field of ${String(values.SobjectType)} (expected ${String(values.SobjectType)}.FieldName)`, 400, ['Field']);
    }
    const existing = ctx.db.records('FieldPermissions').find((r) => sameId(text(r.ParentId), parent.Id) && String(r.Field).toLowerCase() === field.toLowerCase());
    if (existing) {
      throw new SalesforceError('DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${existing.Id}`);
    }
    const row = { ...values, PermissionsRead: values.PermissionsRead === true, PermissionsEdit: values.PermissionsEdit === true };
    checkFieldRow(row);
    return row;
  },
  afterInsert(ctx, row) {
    recalculateGroupsOf(ctx, text(row.ParentId));
  },
  update(ctx, row, values) {
    writableParent(ctx, row.ParentId);
    checkFieldRow({ ...row, ...values });
    return values;
  },
  afterUpdate(ctx, row) {
    recalculateGroupsOf(ctx, text(row.ParentId));
  },
  delete(ctx, row) {
    writableParent(ctx, row.ParentId);
  },
  afterDelete(ctx, row) {
    recalculateGroupsOf(ctx, text(row.ParentId));
  },
};

export const PERMISSION_RULES: Record<string, ObjectRules> = {
  PermissionSet: permissionSetRules,
  PermissionSetGroup: groupRules,
  PermissionSetGroupComponent: componentRules,
  ObjectPermissions: objectPermissionRules,
  FieldPermissions: fieldPermissionRules,
};
