/** A small self-contained catalog for the SOQL engine's tests (independent of the emulator's schema and seed). */
import { makeId } from '../ids.js';
import type { FieldDef, SObjectDef, SoqlCatalog, SRecord } from '../types.js';

const id: FieldDef = { name: 'Id', type: 'id' };
const ref = (name: string, to: string[], relationshipName: string): FieldDef => ({ name, type: 'reference', referenceTo: to, relationshipName });

export const OBJECTS: SObjectDef[] = [
  {
    name: 'UserLicense',
    keyPrefix: '100',
    fields: [id, { name: 'Name', type: 'string' }],
    childRelationships: [],
  },
  {
    name: 'Profile',
    keyPrefix: '00e',
    fields: [id, { name: 'Name', type: 'string' }, ref('UserLicenseId', ['UserLicense'], 'UserLicense')],
    childRelationships: [{ relationshipName: 'Users', childSObject: 'User', field: 'ProfileId' }],
  },
  {
    name: 'User',
    keyPrefix: '005',
    fields: [
      id,
      { name: 'Username', type: 'string' },
      { name: 'Name', type: 'string' },
      { name: 'IsActive', type: 'boolean' },
      { name: 'UserType', type: 'picklist' },
      { name: 'Department', type: 'string' },
      { name: 'LoginCount__c', type: 'int' },
      { name: 'Channels__c', type: 'multipicklist' },
      { name: 'LastLoginDate', type: 'datetime' },
      { name: 'HireDate__c', type: 'date' },
      ref('ProfileId', ['Profile'], 'Profile'),
      ref('ManagerId', ['User'], 'Manager'),
    ],
    childRelationships: [
      { relationshipName: 'PermissionSetAssignments', childSObject: 'PermissionSetAssignment', field: 'AssigneeId' },
      { relationshipName: 'LoginHistories', childSObject: 'LoginHistory', field: 'UserId' },
    ],
  },
  {
    name: 'PermissionSetGroup',
    keyPrefix: '0PG',
    fields: [id, { name: 'DeveloperName', type: 'string' }, { name: 'MasterLabel', type: 'string' }],
    childRelationships: [],
  },
  {
    name: 'PermissionSet',
    keyPrefix: '0PS',
    fields: [
      id,
      { name: 'Name', type: 'string' },
      { name: 'Label', type: 'string' },
      { name: 'IsOwnedByProfile', type: 'boolean' },
      ref('ProfileId', ['Profile'], 'Profile'),
      ref('PermissionSetGroupId', ['PermissionSetGroup'], 'PermissionSetGroup'),
    ],
    childRelationships: [{ relationshipName: 'Assignments', childSObject: 'PermissionSetAssignment', field: 'PermissionSetId' }],
  },
  {
    name: 'PermissionSetAssignment',
    keyPrefix: '0Pa',
    fields: [
      id,
      ref('AssigneeId', ['User'], 'Assignee'),
      ref('PermissionSetId', ['PermissionSet'], 'PermissionSet'),
      ref('PermissionSetGroupId', ['PermissionSetGroup'], 'PermissionSetGroup'),
      { name: 'ExpirationDate', type: 'date' },
    ],
    childRelationships: [],
  },
  {
    name: 'LoginHistory',
    keyPrefix: '0Ya',
    fields: [
      id,
      ref('UserId', ['User'], 'User'),
      { name: 'LoginTime', type: 'datetime' },
      { name: 'LoginType', type: 'picklist' },
      { name: 'Status', type: 'string', filterable: false, sortable: true, groupable: true },
      { name: 'Application', type: 'string', filterable: false, sortable: true, groupable: true },
      { name: 'PermissionsX', type: 'boolean', sortable: false, groupable: false },
    ],
    childRelationships: [],
  },
  {
    name: 'Task',
    keyPrefix: '00T',
    fields: [id, { name: 'Subject', type: 'string' }, ref('OwnerId', ['User', 'Profile'], 'Owner')],
    childRelationships: [],
  },
];

type Rows = Record<string, Array<Record<string, unknown>>>;

export class TestCatalog implements SoqlCatalog {
  private readonly rows = new Map<string, SRecord[]>();
  private readonly index = new Map<string, { type: string; record: SRecord }>();

  public constructor(data: Rows) {
    for (const def of OBJECTS) this.rows.set(def.name, []);
    for (const [type, records] of Object.entries(data)) {
      for (const record of records) this.add(type, record as SRecord);
    }
  }

  public add(type: string, record: SRecord): void {
    this.rows.get(type)?.push(record);
    this.index.set(record.Id.slice(0, 15), { type, record });
  }

  public describe(objectName: string): SObjectDef | undefined {
    return OBJECTS.find((o) => o.name.toLowerCase() === objectName.toLowerCase());
  }

  public records(objectName: string): readonly SRecord[] {
    return this.rows.get(objectName) ?? [];
  }

  public byId(recordId: string): { type: string; record: SRecord } | undefined {
    return this.index.get(recordId.slice(0, 15));
  }
}

export const ids = {
  licenseSf: makeId('100', 1),
  licenseInt: makeId('100', 2),
  profileAdmin: makeId('00e', 1),
  profileApi: makeId('00e', 2),
  profileNone: makeId('00e', 3),
  admin: makeId('005', 1),
  integration: makeId('005', 2),
  inactive: makeId('005', 3),
  plain: makeId('005', 4),
  groupApi: makeId('0PG', 1),
  psApi: makeId('0PS', 1),
  psRead: makeId('0PS', 2),
  psOwned: makeId('0PS', 3),
  psaIntApi: makeId('0Pa', 1),
  psaIntRead: makeId('0Pa', 2),
  psaAdminRead: makeId('0Pa', 3),
  psaIntGroup: makeId('0Pa', 4),
};

/** Four users (admin, integration, inactive, plain), their profiles, licenses, permission sets and logins. */
export function sampleCatalog(): TestCatalog {
  return new TestCatalog({
    UserLicense: [
      { Id: ids.licenseSf, Name: 'Salesforce' },
      { Id: ids.licenseInt, Name: 'Salesforce Integration' },
    ],
    Profile: [
      { Id: ids.profileAdmin, Name: 'System Administrator', UserLicenseId: ids.licenseSf },
      { Id: ids.profileApi, Name: 'Minimum Access - API Only Integrations', UserLicenseId: ids.licenseInt },
      { Id: ids.profileNone, Name: 'Orphan', UserLicenseId: null },
    ],
    User: [
      {
        Id: ids.admin,
        Username: 'admin@example.com',
        Name: 'Ada Admin',
        IsActive: true,
        UserType: 'Standard',
        Department: 'IT',
        LoginCount__c: 12,
        Channels__c: 'Email;Phone',
        LastLoginDate: '2026-03-10T08:30:00.000Z',
        HireDate__c: '2020-05-01',
        ProfileId: ids.profileAdmin,
        ManagerId: null,
      },
      {
        Id: ids.integration,
        Username: 'int@example.com',
        Name: 'Ivy Integration',
        IsActive: true,
        UserType: 'Standard',
        Department: null,
        LoginCount__c: 3,
        Channels__c: 'Api',
        LastLoginDate: '2026-03-14T23:59:59.000Z',
        HireDate__c: '2026-03-01',
        ProfileId: ids.profileApi,
        ManagerId: ids.admin,
      },
      {
        Id: ids.inactive,
        Username: 'old@example.com',
        Name: "Olly O'Brien",
        IsActive: false,
        UserType: 'Standard',
        Department: 'Sales_Ops',
        LoginCount__c: 0,
        Channels__c: null,
        LastLoginDate: null,
        HireDate__c: '2019-01-15',
        ProfileId: ids.profileAdmin,
        ManagerId: ids.admin,
      },
      {
        Id: ids.plain,
        Username: 'plain@example.com',
        Name: 'Pat 100% Plain',
        IsActive: true,
        UserType: 'Guest',
        Department: 'Sales',
        LoginCount__c: 7,
        Channels__c: 'Phone',
        LastLoginDate: '2026-01-20T12:00:00.000Z',
        HireDate__c: null,
        ProfileId: ids.profileNone,
        ManagerId: ids.integration,
      },
    ],
    PermissionSetGroup: [{ Id: ids.groupApi, DeveloperName: 'ApiGroup', MasterLabel: 'API Group' }],
    PermissionSet: [
      { Id: ids.psApi, Name: 'API_Access', Label: 'API Access', IsOwnedByProfile: false, ProfileId: null, PermissionSetGroupId: null },
      { Id: ids.psRead, Name: 'Read_Only', Label: 'Read Only', IsOwnedByProfile: false, ProfileId: null, PermissionSetGroupId: null },
      { Id: ids.psOwned, Name: 'X00ex000', Label: 'Owned', IsOwnedByProfile: true, ProfileId: ids.profileApi, PermissionSetGroupId: ids.groupApi },
    ],
    PermissionSetAssignment: [
      { Id: ids.psaIntApi, AssigneeId: ids.integration, PermissionSetId: ids.psApi, PermissionSetGroupId: null, ExpirationDate: null },
      { Id: ids.psaIntRead, AssigneeId: ids.integration, PermissionSetId: ids.psRead, PermissionSetGroupId: null, ExpirationDate: '2026-06-30' },
      { Id: ids.psaAdminRead, AssigneeId: ids.admin, PermissionSetId: ids.psRead, PermissionSetGroupId: null, ExpirationDate: null },
      { Id: ids.psaIntGroup, AssigneeId: ids.integration, PermissionSetId: ids.psOwned, PermissionSetGroupId: ids.groupApi, ExpirationDate: null },
    ],
    LoginHistory: [
      { Id: makeId('0Ya', 1), UserId: ids.integration, LoginTime: '2026-03-15T09:00:00.000Z', LoginType: 'Remote Access 2.0', Status: 'Success', Application: 'Api' },
      { Id: makeId('0Ya', 2), UserId: ids.admin, LoginTime: '2026-03-14T10:00:00.000Z', LoginType: 'Application', Status: 'Invalid Password', Application: 'Browser' },
      { Id: makeId('0Ya', 3), UserId: ids.admin, LoginTime: '2026-02-01T10:00:00.000Z', LoginType: 'Application', Status: 'Success', Application: 'Browser' },
    ],
    Task: [
      { Id: makeId('00T', 1), Subject: 'user-owned', OwnerId: ids.admin },
      { Id: makeId('00T', 2), Subject: 'profile-owned', OwnerId: ids.profileApi },
    ],
  });
}
