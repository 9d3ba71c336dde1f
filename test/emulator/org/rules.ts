/**
 * Salesforce's DML rules per object (after the field checks of fields.ts): User, UserLogin,
 * PermissionSetLicenseAssign here; PermissionSetAssignment in assignmentRules.ts.
 */
import { assignmentRules, checkPslAssignable, licensedSetsHeld } from './assignmentRules.js';
import type { Context } from '../core/context.js';
import { isEmail, requireFields } from '../core/fields.js';
import type { ObjectRules } from '../core/model.js';
import { PERMISSION_RULES } from './permissionRules.js';
import { settingsOf } from './settings.js';
import { text } from '../core/http.js';
import { sameId } from '../core/ids.js';
import type { SRecord } from '../core/types.js';
import { SalesforceError } from '../core/types.js';


const USER_REQUIRED = ['Username', 'LastName', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'LanguageLocaleKey', 'EmailEncodingKey', 'ProfileId'];

const DUPLICATE_USERNAME =
  "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address).";

const NICKNAME_IN_USE = 'The nickname you entered is already in use. Enter a unique nickname.';

const licenseLimitExceeded = (): SalesforceError => new SalesforceError('LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');

function record(ctx: Context, id: unknown): SRecord {
  const found = ctx.db.byId(String(id));
  if (!found) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  return found.record;
}

/** The permission set a profile owns (IsOwnedByProfile). */
function profileSet(ctx: Context, profileId: unknown): SRecord {
  const set = ctx.db.records('PermissionSet').find((s) => s.IsOwnedByProfile === true && sameId(String(s.ProfileId), String(profileId)));
  if (!set) throw new Error(`profile ${String(profileId)} owns no permission set`);
  return set;
}

function checkUsername(ctx: Context, username: string, self?: string): string {
  const lower = username.toLowerCase();
  if (!isEmail(lower)) {
    throw new SalesforceError('INVALID_EMAIL_ADDRESS', `Username: invalid email address: ${username}`, 400, ['Username']);
  }
  const taken =
    settingsOf(ctx).takenUsernames.has(lower) ||
    ctx.db.records('User').some((u) => String(u.Username).toLowerCase() === lower && (self === undefined || !sameId(u.Id, self)));
  if (taken) throw new SalesforceError('DUPLICATE_USERNAME', DUPLICATE_USERNAME, 400, ['Username']);
  return lower;
}

/** A free, active seat on the license of `profileId`, or LICENSE_LIMIT_EXCEEDED. */
function requireSeat(ctx: Context, profileId: unknown): void {
  const license = record(ctx, record(ctx, profileId).UserLicenseId);
  if (license.Status !== 'Active' || Number(license.UsedLicenses) >= Number(license.TotalLicenses)) throw licenseLimitExceeded();
}

function nickname(ctx: Context, values: Record<string, unknown>, self?: string): string {
  const given = values.CommunityNickname;
  const taken = (n: string): boolean =>
    ctx.db.records('User').some((u) => String(u.CommunityNickname).toLowerCase() === n.toLowerCase() && (self === undefined || !sameId(u.Id, self)));
  if (typeof given === 'string') {
    if (taken(given)) {
      // DUPLICATE_COMM_NICKNAME is the platform's StatusCode (SOAP/REST enum); the message text is unconfirmed (README).
      throw new SalesforceError('DUPLICATE_COMM_NICKNAME', NICKNAME_IN_USE, 400, ['CommunityNickname']);
    }
    return given;
  }
  const base = String(values.Username).split('@')[0].slice(0, 32);
  for (let n = 1; ; n++) {
    const candidate = `${base}${String(ctx.db.records('User').length + n).padStart(4, '0')}`.slice(0, 40);
    if (!taken(candidate)) return candidate;
  }
}

const fullName = (first: unknown, last: unknown): string => (first ? `${text(first)} ${text(last)}` : text(last));

const userRules: ObjectRules = {
  insert(ctx, values) {
    requireFields(values, USER_REQUIRED);
    const username = checkUsername(ctx, String(values.Username));
    const active = values.IsActive !== false;
    if (active) requireSeat(ctx, values.ProfileId);
    return {
      FirstName: null,
      UserRoleId: null,
      ManagerId: null,
      LastLoginDate: null,
      LastPasswordChangeDate: null,
      ...values,
      Username: username,
      CommunityNickname: nickname(ctx, values),
      Name: fullName(values.FirstName, values.LastName),
      IsActive: active,
      UserType: 'Standard',
    };
  },
  afterInsert(ctx, user) {
    const at = ctx.now().toISOString();
    ctx.db.insert('UserLogin', { UserId: user.Id, IsFrozen: false, IsPasswordLocked: false, LastModifiedDate: at, LastModifiedById: ctx.org.userId });
    // Every user holds its profile's own permission set through an assignment Salesforce makes itself.
    ctx.db.insert('PermissionSetAssignment', {
      AssigneeId: user.Id,
      PermissionSetId: profileSet(ctx, user.ProfileId).Id,
      PermissionSetGroupId: null,
      ExpirationDate: null,
      IsActive: true,
      SystemModstamp: at,
    });
  },
  update(ctx, user, values) {
    const changes = { ...values };
    for (const required of USER_REQUIRED) {
      if (required in values) requireFields(values, [required]);
    }
    if (typeof values.Username === 'string') changes.Username = checkUsername(ctx, values.Username, user.Id);
    if (typeof values.CommunityNickname === 'string') changes.CommunityNickname = nickname(ctx, values, user.Id);
    const active = values.IsActive ?? user.IsActive;
    const profileId = values.ProfileId ?? user.ProfileId;
    const licenseChanges = !sameId(String(record(ctx, profileId).UserLicenseId), String(record(ctx, user.ProfileId).UserLicenseId));
    if (active === true && (user.IsActive !== true || licenseChanges)) requireSeat(ctx, profileId);
    if (!sameId(String(profileId), String(user.ProfileId))) {
      // The profile's own set follows the profile.
      const current = profileSet(ctx, user.ProfileId);
      const row = ctx.db.records('PermissionSetAssignment').find((a) => sameId(String(a.AssigneeId), user.Id) && sameId(String(a.PermissionSetId), current.Id));
      if (row) ctx.db.update(row, { PermissionSetId: profileSet(ctx, profileId).Id });
    }
    if ('FirstName' in values || 'LastName' in values) {
      changes.Name = fullName(values.FirstName ?? user.FirstName, values.LastName ?? user.LastName);
    }
    return changes;
  },
};

const userLoginRules: ObjectRules = {
  update(_ctx, login, values) {
    if (values.IsPasswordLocked === true && login.IsPasswordLocked !== true) {
      throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', 'Is Password Locked: can only be cleared', 400, ['IsPasswordLocked']);
    }
    return values;
  },
};

const pslAssignRules: ObjectRules = {
  insert(ctx, values) {
    requireFields(values, ['AssigneeId', 'PermissionSetLicenseId']);
    const psl = record(ctx, values.PermissionSetLicenseId);
    const assignee = record(ctx, values.AssigneeId);
    const duplicate = ctx.db
      .records('PermissionSetLicenseAssign')
      .find((a) => sameId(String(a.AssigneeId), assignee.Id) && sameId(String(a.PermissionSetLicenseId), psl.Id));
    if (duplicate) {
      throw new SalesforceError('DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${duplicate.Id}`);
    }
    checkPslAssignable(ctx, assignee, psl, ['PermissionSetLicenseId']);
    return values;
  },
  delete(ctx, assignment) {
    const psl = record(ctx, assignment.PermissionSetLicenseId);
    const needing = licensedSetsHeld(ctx, String(assignment.AssigneeId), psl.Id);
    if (needing.length > 0) {
      throw new SalesforceError(
        'FIELD_INTEGRITY_EXCEPTION',
        `Can't remove the permission set license ${String(psl.MasterLabel)}: the user has permission sets that require it: ${needing.join(', ')}`
      );
    }
  },
};

export const RULES: Record<string, ObjectRules> = {
  User: userRules,
  UserLogin: userLoginRules,
  PermissionSetLicenseAssign: pslAssignRules,
  PermissionSetAssignment: assignmentRules,
  ...PERMISSION_RULES,
};
