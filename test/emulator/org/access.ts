/**
 * The running user's rights: which seeded user each `runningUser` level logs in as, the permissions it
 * holds (its profile plus its permission set / group assignments, read live from the store), and what
 * those permissions let it read and write (the Object Reference's "special access rules"; the choices
 * where Salesforce's documentation is silent are listed in README.md).
 */
import type { Context } from '../core/context.js';
import type { Db } from '../core/db.js';
import { sameId } from '../core/ids.js';
import { SYSTEM_PERMISSIONS } from './schema.js';
import { DOMAIN, SeedBuilder } from './seedBuilder.js';
import { ADMIN_USERNAME } from './seed.js';
import { SalesforceError, type SObjectDef, type SoqlCatalog, type SRecord } from '../core/types.js';

export type RunningUserLevel = 'admin' | 'delegated-admin' | 'auditor' | 'standard';
export const RUNNING_USER_LEVELS: readonly RunningUserLevel[] = ['admin', 'delegated-admin', 'auditor', 'standard'];

/** The seeded user each level logs in as. */
export const RUNNING_USERNAMES: Record<RunningUserLevel, string> = {
  admin: ADMIN_USERNAME,
  'delegated-admin': `delegated.admin@${DOMAIN}`,
  auditor: `setup.auditor@${DOMAIN}`,
  standard: `jane.doe@${DOMAIN}`,
};

/** `Permissions<Name>` system permissions by name (without the prefix). */
export type Right = keyof typeof SYSTEM_PERMISSIONS;

/**
 * Makes sure the running user of `level` exists and returns its Id. admin and standard are users of the
 * default seed (System Administrator; jane.doe, Standard User); delegated-admin and auditor are added only
 * when asked for (Standard User profile plus one permission set each), so the default seed is unchanged.
 */
export function seedRunningUser(db: Db, level: RunningUserLevel, now: Date, adminId: string): string {
  const username = RUNNING_USERNAMES[level];
  const existing = db.records('User').find((u) => u.Username === username);
  if (existing) return existing.Id;
  const b = new SeedBuilder(db, now);
  b.adminId = adminId;
  const profile = db.records('Profile').find((p) => p.Name === 'Standard User');
  const profileSet = db.records('PermissionSet').find((s) => s.IsOwnedByProfile === true && sameId(String(s.ProfileId), String(profile?.Id)));
  if (!profile || !profileSet) throw new Error('the seed has no Standard User profile');
  const [name, label, permissions, first, last] =
    level === 'delegated-admin'
      ? ['Delegated_User_Admin', 'Delegated User Admin', ['ApiEnabled', 'ViewSetup', 'AssignPermissionSets'], 'Dana', 'Delegate']
      : ['Setup_Auditor', 'Setup Auditor', ['ApiEnabled', 'ViewSetup'], 'Sol', 'Auditor'];
  const set = b.permissionSet(name, label, null, permissions);
  const user = b.user({ username, first, last, profile, lastLoginDaysAgo: 0, createdDaysAgo: 200 });
  b.assign(user, profileSet);
  b.assign(user, set);
  db.commit();
  return user.Id;
}

/** Every system permission the user holds: its profile's and those of every permission set it is assigned (groups through their aggregate set). */
export function userRights(db: Db, userId: string): Set<Right> {
  const held = new Set<Right>();
  const add = (record: SRecord | undefined): void => {
    if (!record) return;
    for (const name of Object.keys(SYSTEM_PERMISSIONS)) if (record[`Permissions${name}`] === true) held.add(name);
  };
  const user = db.byId(userId)?.record;
  if (user) add(db.byId(String(user.ProfileId))?.record);
  for (const a of db.records('PermissionSetAssignment')) {
    if (!sameId(String(a.AssigneeId), userId)) continue;
    if (typeof a.PermissionSetId === 'string') add(db.byId(a.PermissionSetId)?.record);
    if (typeof a.PermissionSetGroupId === 'string') {
      for (const c of db.records('PermissionSetGroupComponent')) {
        if (sameId(String(c.PermissionSetGroupId), a.PermissionSetGroupId)) add(db.byId(String(c.PermissionSetId))?.record);
      }
    }
  }
  return held;
}

/** Objects that need one of these rights to be read (visible at all): describe, SOQL FROM, relationships. */
const READ_RIGHTS: Record<string, Right[]> = {
  UserLogin: ['ManageUsers'],
  PermissionSetAssignment: ['ViewSetup', 'AssignPermissionSets', 'ManageUsers'],
  PermissionSetLicenseAssign: ['ViewSetup', 'AssignPermissionSets', 'ManageUsers'],
  PermissionSet: ['ViewSetup', 'AssignPermissionSets'],
  PermissionSetGroup: ['ViewSetup', 'AssignPermissionSets'],
  PermissionSetGroupComponent: ['ViewSetup'],
  ObjectPermissions: ['ViewSetup'],
  FieldPermissions: ['ViewSetup'],
  SetupEntityAccess: ['ViewSetup'],
  PermissionSetLicense: ['ViewSetup'],
  UserLicense: ['ViewSetup'],
};

/** Objects every user can read, but only their own rows of unless they hold one of these rights. */
const OTHERS_ROWS_RIGHTS: Record<string, Right[]> = {
  LoginHistory: ['ManageUsers', 'MonitorLoginHistory'],
  OauthToken: ['CustomizeApplication'],
};

/** Rights a write needs, per object and operation (any one of them). */
const WRITE_RIGHTS: Record<string, Partial<Record<'insert' | 'update' | 'delete', Right[]>>> = {
  User: { insert: ['ManageUsers'], update: ['ManageUsers'] },
  UserLogin: { update: ['ManageUsers'] },
  PermissionSetAssignment: { insert: ['AssignPermissionSets'], update: ['AssignPermissionSets'], delete: ['AssignPermissionSets'] },
  PermissionSetLicenseAssign: { insert: ['ManageUsers'], delete: ['ManageUsers'] },
  PermissionSet: { insert: ['ManageProfilesPermissionsets'], update: ['ManageProfilesPermissionsets'], delete: ['ManageProfilesPermissionsets'] },
  PermissionSetGroup: { insert: ['ManageProfilesPermissionsets'], update: ['ManageProfilesPermissionsets'], delete: ['ManageProfilesPermissionsets'] },
  PermissionSetGroupComponent: { insert: ['ManageProfilesPermissionsets'], delete: ['ManageProfilesPermissionsets'] },
  ObjectPermissions: { insert: ['ManageProfilesPermissionsets'], update: ['ManageProfilesPermissionsets'], delete: ['ManageProfilesPermissionsets'] },
  FieldPermissions: { insert: ['ManageProfilesPermissionsets'], update: ['ManageProfilesPermissionsets'], delete: ['ManageProfilesPermissionsets'] },
};

const holdsAny = (held: Set<Right>, rights: Right[]): boolean => rights.some((r) => held.has(r));

const rightsCache = new WeakMap<Context, { generation: number; rights: Set<Right> }>();

/** The running user's rights, recomputed only after the store changed. */
export function runningUserRights(ctx: Context): Set<Right> {
  const cached = rightsCache.get(ctx);
  if (cached && cached.generation === ctx.db.generation) return cached.rights;
  const rights = userRights(ctx.db, ctx.org.userId);
  rightsCache.set(ctx, { generation: ctx.db.generation, rights });
  return rights;
}

/** Whether the running user can see the object at all. */
export function canRead(ctx: Context, objectName: string, held = runningUserRights(ctx)): boolean {
  const rights = READ_RIGHTS[objectName];
  return rights === undefined || holdsAny(held, rights);
}

/** Whether the running user sees other users' rows of the object (LoginHistory, OauthToken). */
export function readsOthersRows(ctx: Context, objectName: string, held = runningUserRights(ctx)): boolean {
  const rights = OTHERS_ROWS_RIGHTS[objectName];
  return rights === undefined || holdsAny(held, rights);
}

/** INSUFFICIENT_ACCESS_OR_READONLY when the running user lacks every right the write needs. */
export function checkWriteAccess(ctx: Context, def: SObjectDef, op: 'insert' | 'update' | 'delete'): void {
  const rights = WRITE_RIGHTS[def.name]?.[op];
  if (rights === undefined || holdsAny(runningUserRights(ctx), rights)) return;
  throw new SalesforceError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
}

/** The Id of the running user's single UserPermissionAccess row (the platform's is not a stored record). */
export const USER_PERMISSION_ACCESS_ID = '000000000000000AAA';

function userPermissionAccessRow(ctx: Context, held: Set<Right>): SRecord {
  const row: SRecord = { Id: USER_PERMISSION_ACCESS_ID, LastCacheUpdate: ctx.now().toISOString() };
  for (const name of Object.keys(SYSTEM_PERMISSIONS)) row[`Permissions${name}`] = held.has(name);
  return row;
}

/**
 * The catalog SOQL runs over for the running user: objects it cannot read do not exist (describe answers
 * undefined, so FROM, child relationships and parent paths into them fail as for an unknown name), rows of
 * other users are hidden where the object says so, and UserPermissionAccess holds the user's one row.
 */
export function queryCatalog(ctx: Context): SoqlCatalog {
  const held = runningUserRights(ctx);
  return {
    describe: (name) => {
      const def = ctx.db.describe(name);
      return def && canRead(ctx, def.name, held) ? def : undefined;
    },
    byId: (id) => {
      const found = ctx.db.byId(id);
      return found && canRead(ctx, found.type, held) ? found : undefined;
    },
    records: (name) => [...scan(name)],
    scan,
  };
  function* scan(name: string): Generator<SRecord> {
    const def = ctx.db.describe(name);
    if (!def || !canRead(ctx, def.name, held)) return;
    if (def.name === 'UserPermissionAccess') {
      yield userPermissionAccessRow(ctx, held);
      return;
    }
    if (readsOthersRows(ctx, def.name, held)) {
      yield* ctx.db.scan(def.name);
      return;
    }
    const own = ctx.org.userId.slice(0, 15);
    for (const row of ctx.db.scan(def.name)) if (String(row.UserId).slice(0, 15) === own) yield row;
  }
}
