/**
 * The Salesforce org this plugin's tests run against, as an OrgModel for the emulator's core: the objects of
 * schema.ts, the DML rules of rules.ts (with assignmentRules.ts and permissionRules.ts), the running user's
 * access (access.ts), the lifecycle routes (Connect REST apps, OAuth revoke, the User password resource),
 * seat counts computed from users and assignments, and the mixed-DML groups.
 */
import { canRead, checkWriteAccess, queryCatalog } from './access.js';
import type { Db } from '../core/db.js';
import type { OrgRoute } from '../core/model.js';
import { RULES } from './rules.js';
import { appsRoute, revokeRoute } from './routes/connect.js';
import { passwordRoute } from './routes/password.js';
import { OBJECTS } from './schema.js';
import type { SalesforceModel, SalesforceSettings } from './settings.js';

/**
 * Seat counts: `UserLicense.UsedLicenses` = active users whose profile is on the license;
 * `PermissionSetLicense.UsedLicenses` = assignments held by active users. Set in place (never journaled).
 */
function refreshSeats(db: Db): void {
  const profileLicense = new Map<string, string>();
  for (const p of db.records('Profile')) profileLicense.set(p.Id, String(p.UserLicenseId));
  const activeUsers = new Set<string>();
  const usedByLicense = new Map<string, number>();
  for (const u of db.records('User')) {
    if (u.IsActive !== true) continue;
    activeUsers.add(u.Id);
    const license = profileLicense.get(String(u.ProfileId));
    if (license) usedByLicense.set(license, (usedByLicense.get(license) ?? 0) + 1);
  }
  for (const l of db.records('UserLicense')) l.UsedLicenses = usedByLicense.get(l.Id) ?? 0;
  const usedByPsl = new Map<string, number>();
  for (const a of db.records('PermissionSetLicenseAssign')) {
    if (!activeUsers.has(String(a.AssigneeId))) continue;
    const psl = String(a.PermissionSetLicenseId);
    usedByPsl.set(psl, (usedByPsl.get(psl) ?? 0) + 1);
  }
  for (const l of db.records('PermissionSetLicense')) l.UsedLicenses = usedByPsl.get(l.Id) ?? 0;
}

const routes: OrgRoute[] = [
  (ctx, req, data) => {
    if (!data) return req.path === '/services/oauth2/revoke' ? revokeRoute(ctx, req) : undefined;
    const [resource, ...rest] = data.segments;
    if (resource === 'sobjects' && rest.length === 3 && rest[0].toLowerCase() === 'user' && rest[2] === 'password') return passwordRoute(ctx, req, rest[1]);
    if (resource === 'apps') return appsRoute(ctx, req, data.version, rest);
    return undefined;
  },
];

/** The model, with its own settings (settings.ts). */
export function salesforceModel(settings: SalesforceSettings): SalesforceModel {
  return {
    objects: OBJECTS,
    rules: RULES,
    access: { canRead: (ctx, name) => canRead(ctx, name), checkWrite: checkWriteAccess, queryCatalog },
    routes,
    computed: { inputs: ['User', 'Profile', 'UserLicense', 'PermissionSetLicense', 'PermissionSetLicenseAssign'], refresh: refreshSeats },
    mixedDmlGroups: [['User'], ['PermissionSetAssignment', 'PermissionSetLicenseAssign']],
    settings,
  };
}
