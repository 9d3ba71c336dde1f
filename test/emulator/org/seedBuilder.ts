/**
 * Helpers that write seed rows straight into the store (no DML rules: the seed plants problems on purpose).
 * Dates are relative to the emulator clock.
 */
import type { Db } from '../core/db.js';
import { OBJECT_PERMISSIONS, SYSTEM_PERMISSIONS } from './schema.js';
import type { SRecord } from '../core/types.js';

const DAY = 86_400_000;

/** The seeded org's email domain. */
export const DOMAIN = 'acme.example.com';

/** Object access in seed shorthand: `R`ead, `C`reate, `E`dit, `D`elete, `V`iew All, `M`odify All. */
export type ObjectAccess = Record<string, string>;

const ACCESS_LETTERS: Record<string, string> = {
  R: 'PermissionsRead',
  C: 'PermissionsCreate',
  E: 'PermissionsEdit',
  D: 'PermissionsDelete',
  V: 'PermissionsViewAllRecords',
  M: 'PermissionsModifyAllRecords',
};

export type LoginKind = { type: string; subType: string; application: string; apiType?: string };

export type UserSeed = {
  username: string;
  first?: string;
  last: string;
  profile: SRecord;
  active?: boolean;
  createdDaysAgo?: number;
  lastLoginDaysAgo?: number | null;
  frozen?: boolean;
};

export const UI_LOGIN: LoginKind = { type: 'Application', subType: 'UsernamePasswordUiLogin', application: 'Browser' };

export class SeedBuilder {
  public adminId = '';
  /** Each group's aggregate permission set, by group Id. */
  private readonly aggregates = new Map<string, SRecord>();

  public constructor(
    public readonly db: Db,
    public readonly now: Date
  ) {}

  public daysAgo(days: number, hour = 9): string {
    const d = new Date(this.now.getTime() - days * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return d.getTime() > this.now.getTime() ? new Date(this.now.getTime() - 60_000).toISOString() : d.toISOString();
  }

  public audit(days = 400): Record<string, unknown> {
    const at = this.daysAgo(days);
    return { CreatedDate: at, CreatedById: this.adminId, LastModifiedDate: at, LastModifiedById: this.adminId, SystemModstamp: at };
  }

  public userLicense(name: string, total: number, key: string): SRecord {
    return this.db.insert('UserLicense', {
      Name: name,
      MasterLabel: name,
      LicenseDefinitionKey: key,
      Status: 'Active',
      TotalLicenses: total,
      UsedLicenses: 0,
      UsedLicensesLastUpdated: this.daysAgo(0, 0),
      ...this.audit(),
    });
  }

  public psl(developerName: string, label: string, total: number): SRecord {
    return this.db.insert('PermissionSetLicense', {
      DeveloperName: developerName,
      MasterLabel: label,
      PermissionSetLicenseKey: developerName,
      Status: 'Active',
      TotalLicenses: total,
      UsedLicenses: 0,
      ExpirationDate: null,
      IsAvailableForIntegrations: true,
      ...this.audit(),
    });
  }

  /** A profile and its profile-owned permission set (same permissions, object access on the set). */
  public profile(name: string, license: SRecord, permissions: string[], access: ObjectAccess = {}): { profile: SRecord; set: SRecord } {
    const profile = this.db.insert('Profile', {
      Name: name,
      UserLicenseId: license.Id,
      UserType: 'Standard',
      Description: null,
      ...permissionValues(permissions),
      ...this.audit(),
    });
    const set = this.permissionSet(`X00e${profile.Id.slice(4, 15)}`, name, null, permissions, access, {
      IsOwnedByProfile: true,
      ProfileId: profile.Id,
      Type: 'Profile',
      IsCustom: false,
    });
    return { profile, set };
  }

  public permissionSet(
    name: string,
    label: string,
    licenseId: string | null,
    permissions: string[],
    access: ObjectAccess = {},
    extra: Record<string, unknown> = {}
  ): SRecord {
    const set = this.db.insert('PermissionSet', {
      Name: name,
      Label: label,
      Description: null,
      LicenseId: licenseId,
      IsOwnedByProfile: false,
      ProfileId: null,
      PermissionSetGroupId: null,
      Type: 'Regular',
      IsCustom: true,
      NamespacePrefix: null,
      HasActivationRequired: false,
      ...permissionValues(permissions),
      ...this.audit(),
      ...extra,
    });
    for (const [sobject, letters] of Object.entries(access)) this.objectPermission(set.Id, sobject, letters);
    return set;
  }

  /** A group, its components and its aggregate set (`Type` 'Group': the union of the components). */
  public group(developerName: string, label: string, status: string, components: SRecord[]): SRecord {
    const group = this.db.insert('PermissionSetGroup', {
      DeveloperName: developerName,
      MasterLabel: label,
      Description: null,
      NamespacePrefix: null,
      Status: status,
      HasActivationRequired: false,
      ...this.audit(),
    });
    const permissions = Object.keys(SYSTEM_PERMISSIONS).filter((p) => components.some((c) => c[`Permissions${p}`] === true));
    const access: ObjectAccess = {};
    for (const row of this.db.records('ObjectPermissions')) {
      if (!components.some((c) => c.Id === row.ParentId)) continue;
      const letters = Object.entries(ACCESS_LETTERS).filter(([, f]) => row[f] === true).map(([l]) => l).join('');
      access[String(row.SobjectType)] = [...new Set((access[String(row.SobjectType)] ?? '') + letters)].join('');
    }
    const aggregate = this.permissionSet(`X0PG${group.Id.slice(4, 15)}`, label, null, permissions, access, {
      PermissionSetGroupId: group.Id,
      Type: 'Group',
      IsCustom: false,
    });
    this.aggregates.set(group.Id, aggregate);
    for (const c of components) {
      this.db.insert('PermissionSetGroupComponent', { PermissionSetGroupId: group.Id, PermissionSetId: c.Id, ...this.audit() });
    }
    return group;
  }

  public user(fields: UserSeed): SRecord {
    const local = fields.username.split('@')[0];
    const user = this.db.insert('User', {
      Username: fields.username,
      FirstName: fields.first ?? null,
      LastName: fields.last,
      Name: fields.first ? `${fields.first} ${fields.last}` : fields.last,
      Email: fields.username,
      Alias: local.replace(/[^a-z]/gi, '').slice(0, 8),
      CommunityNickname: local.slice(0, 40),
      Title: null,
      Department: null,
      CompanyName: 'Acme Corporation',
      FederationIdentifier: null,
      AboutMe: null,
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      ProfileId: fields.profile.Id,
      UserRoleId: null,
      ManagerId: null,
      IsActive: fields.active ?? true,
      UserType: 'Standard',
      LastLoginDate: fields.lastLoginDaysAgo === null || fields.lastLoginDaysAgo === undefined ? null : this.daysAgo(fields.lastLoginDaysAgo, 8),
      LastPasswordChangeDate: null,
      ...this.audit(fields.createdDaysAgo ?? 400),
    });
    if (!this.adminId) {
      this.adminId = user.Id;
      this.db.update(user, { CreatedById: user.Id, LastModifiedById: user.Id });
    }
    this.db.insert('UserLogin', {
      UserId: user.Id,
      IsFrozen: fields.frozen ?? false,
      IsPasswordLocked: false,
      LastModifiedDate: this.daysAgo(30),
      LastModifiedById: this.adminId,
    });
    return user;
  }

  public assign(user: SRecord, set: SRecord): SRecord {
    return this.db.insert('PermissionSetAssignment', {
      AssigneeId: user.Id,
      PermissionSetId: set.Id,
      PermissionSetGroupId: set.PermissionSetGroupId ?? null,
      ExpirationDate: null,
      IsActive: true,
      SystemModstamp: user.CreatedDate,
    });
  }

  /** Assigns a group: the row carries the group and its aggregate set. */
  public assignGroup(user: SRecord, group: SRecord): SRecord {
    const aggregate = this.aggregates.get(group.Id);
    if (!aggregate) throw new Error(`group ${String(group.DeveloperName)} has no aggregate set`);
    return this.assign(user, aggregate);
  }

  public assignPsl(user: SRecord, psl: SRecord): SRecord {
    return this.db.insert('PermissionSetLicenseAssign', { AssigneeId: user.Id, PermissionSetLicenseId: psl.Id, ...this.audit(300) });
  }

  public login(user: SRecord, daysAgo: number, kind: LoginKind, hour = 9): SRecord {
    return this.db.insert('LoginHistory', { UserId: user.Id, LoginTime: this.daysAgo(daysAgo, hour), ...loginKindFields(kind) });
  }

  public oauthToken(user: SRecord, appName: string, lastUsedDaysAgo: number, useCount: number): SRecord {
    return this.db.insert('OauthToken', {
      UserId: user.Id,
      AppName: appName,
      AppMenuItemId: null,
      LastUsedDate: this.daysAgo(lastUsedDaysAgo, 10),
      UseCount: useCount,
      DeleteToken: `${appName.replace(/\W/g, '')}${user.Id.slice(-6)}`,
      CreatedDate: this.daysAgo(Math.max(lastUsedDaysAgo, 120)),
    });
  }

  private objectPermission(parentId: string, sobject: string, letters: string): void {
    const values: Record<string, boolean> = {};
    for (const name of Object.keys(OBJECT_PERMISSIONS)) values[name] = false;
    for (const letter of letters) values[ACCESS_LETTERS[letter]] = true;
    this.db.insert('ObjectPermissions', { ParentId: parentId, SobjectType: sobject, ...values, ...this.audit() });
  }
}

/** Every `Permissions<Name>` field: true for the named ones, false otherwise. */
export function permissionValues(enabled: string[]): Record<string, boolean> {
  const values: Record<string, boolean> = {};
  for (const name of Object.keys(SYSTEM_PERMISSIONS)) values[`Permissions${name}`] = enabled.includes(name);
  return values;
}

/** The LoginHistory fields of one kind of login (all but Id, UserId, LoginTime). */
export function loginKindFields(kind: LoginKind): Record<string, unknown> {
  const oauth = kind.type !== 'Application';
  return {
    LoginType: kind.type,
    LoginSubType: kind.subType,
    Application: kind.application,
    Status: 'Success',
    SourceIp: oauth ? '52.10.20.30' : '203.0.113.10',
    ApiType: oauth ? 'N/A' : null,
    ApiVersion: oauth ? '62.0' : null,
    Browser: oauth ? 'Unknown' : 'Chrome 130',
    Platform: oauth ? 'Unknown' : 'Mac OSX',
    ClientVersion: 'N/A',
    LoginGeoId: null,
    LoginUrl: 'acme.my.salesforce.com',
    AuthenticationServiceId: null,
    CipherSuite: 'ECDHE-RSA-AES256-GCM-SHA384',
    CountryIso: 'US',
    NetworkId: null,
    OptionsIsGet: false,
    OptionsIsPost: oauth,
    TlsProtocol: 'TLS 1.3',
  };
}
