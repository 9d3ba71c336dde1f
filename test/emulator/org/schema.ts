/**
 * The emulated org's objects: the fields (names exact, as on the platform) that describe answers with and
 * SOQL may name. Only the objects and fields the plugin touches, plus the usual audit columns.
 */
import type { ChildRelationshipDef, FieldDef, SObjectDef } from '../core/types.js';


/** Restricted picklists of User (a realistic subset of Salesforce's values). */
export const TIME_ZONES = [
  'America/Los_Angeles', 'America/Denver', 'America/Phoenix', 'America/Chicago', 'America/New_York', 'America/Sao_Paulo',
  'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'Europe/Amsterdam', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo',
  'Australia/Sydney', 'Pacific/Auckland', 'GMT',
];
export const LOCALES = ['en_US', 'en_GB', 'en_CA', 'en_AU', 'en_IN', 'fr_FR', 'fr_CA', 'de_DE', 'es_ES', 'es_MX', 'it_IT', 'ja_JP', 'pt_BR', 'nl_NL'];
export const LANGUAGES = ['en_US', 'en_GB', 'de', 'fr', 'es', 'es_MX', 'it', 'ja', 'pt_BR', 'nl_NL', 'zh_CN', 'ko'];
export const EMAIL_ENCODINGS = ['UTF-8', 'ISO-8859-1', 'Shift_JIS', 'ISO-2022-JP', 'EUC-JP', 'ks_c_5601-1987', 'Big5', 'GB2312'];

/** System permissions (`Permissions<Name>` on PermissionSet and Profile) with their Setup labels. */
export const SYSTEM_PERMISSIONS: Record<string, string> = {
  ApiEnabled: 'API Enabled',
  ApiUserOnly: 'API Only User',
  ViewSetup: 'View Setup and Configuration',
  MonitorLoginHistory: 'Monitor Login History',
  ModifyAllData: 'Modify All Data',
  ViewAllData: 'View All Data',
  ManageUsers: 'Manage Users',
  ManageInternalUsers: 'Manage Internal Users',
  ResetPasswords: 'Reset User Passwords and Unlock Users',
  AuthorApex: 'Author Apex',
  CustomizeApplication: 'Customize Application',
  ModifyMetadata: 'Modify Metadata Through Metadata API Functions',
  ManageProfilesPermissionsets: 'Manage Profiles and Permission Sets',
  AssignPermissionSets: 'Assign Permission Sets',
  ViewAllUsers: 'View All Users',
  PasswordNeverExpires: 'Password Never Expires',
  ManageSharing: 'Manage Sharing',
  ManageRoles: 'Manage Roles',
  ManageEncryptionKeys: 'Manage Encryption Keys',
  ManageAuthProviders: 'Manage Auth. Providers',
  ManageConnectedApps: 'Manage Connected Apps',
  ManagePasswordPolicies: 'Manage Password Policies',
  ManageIpAddresses: 'Manage IP Addresses',
  ManageLoginAccessPolicies: 'Manage Login Access Policies',
  BulkApiHardDelete: 'Bulk API Hard Delete',
  DataExport: 'Weekly Data Export',
  EditReadonlyFields: 'Edit Read Only Fields',
  ManageDataIntegrations: 'Manage Data Integrations',
  ManageSandboxes: 'Manage Sandboxes',
  // External Client App credentials over Connect REST (API names unconfirmed: README "Choices where Salesforce's behaviour is unconfirmed").
  ExternalClientAppDeveloper: 'External Client App Developer',
  ViewClientSecret: 'View Client Secret',
};

/** Object permission columns of ObjectPermissions with the verb Salesforce uses in license errors. */
export const OBJECT_PERMISSIONS: Record<string, string> = {
  PermissionsRead: 'Read',
  PermissionsCreate: 'Create',
  PermissionsEdit: 'Edit',
  PermissionsDelete: 'Delete',
  PermissionsViewAllRecords: 'View All',
  PermissionsModifyAllRecords: 'Modify All',
  PermissionsViewAllFields: 'View All Fields',
};

/** Plural labels of the standard objects the seed grants access to (custom objects end in `__c`). */
export const OBJECT_PLURAL_LABELS: Record<string, string> = {
  Account: 'Accounts',
  Contact: 'Contacts',
  Opportunity: 'Opportunities',
  Campaign: 'Campaigns',
  Lead: 'Leads',
  Case: 'Cases',
};

type FieldOptions = Omit<FieldDef, 'name' | 'type'>;

const readOnly: FieldOptions = { createable: false, updateable: false };
const createOnly: FieldOptions = { createable: true, updateable: false };
const writable: FieldOptions = { createable: true, updateable: true };

function field(name: string, type: FieldDef['type'], label: string, options: FieldOptions = readOnly): FieldDef {
  return { name, type, label, nillable: true, filterable: true, createable: false, updateable: false, ...options };
}
const str = (name: string, label: string, length: number, options?: FieldOptions): FieldDef => field(name, 'string', label, { length, ...options });
const bool = (name: string, label: string, options?: FieldOptions): FieldDef => field(name, 'boolean', label, { nillable: false, ...options });
const picklist = (name: string, label: string, values: string[], options?: FieldOptions): FieldDef =>
  field(name, 'picklist', label, { picklistValues: values, length: 40, ...options });
function ref(name: string, label: string, to: string[], relationshipName: string | undefined, options?: FieldOptions): FieldDef {
  return field(name, 'reference', label, { referenceTo: to, relationshipName, length: 18, ...options });
}

const ID = field('Id', 'id', 'Record ID', { nillable: false, length: 18 });
const audit = (): FieldDef[] => [
  field('CreatedDate', 'datetime', 'Created Date'),
  ref('CreatedById', 'Created By ID', ['User'], 'CreatedBy'),
  field('LastModifiedDate', 'datetime', 'Last Modified Date'),
  ref('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy'),
  field('SystemModstamp', 'datetime', 'System Modstamp'),
];
const permissionFields = (): FieldDef[] =>
  Object.entries(SYSTEM_PERMISSIONS).map(([name, label]) => bool(`Permissions${name}`, label));
const child = (relationshipName: string, childSObject: string, fieldName: string): ChildRelationshipDef => ({
  relationshipName,
  childSObject,
  field: fieldName,
});

function object(name: string, label: string, keyPrefix: string, fields: FieldDef[], rest: Partial<SObjectDef> = {}): SObjectDef {
  return {
    name,
    label,
    keyPrefix,
    fields: [ID, ...fields],
    childRelationships: [],
    createable: false,
    updateable: false,
    deletable: false,
    queryable: true,
    ...rest,
  };
}

export const OBJECTS: SObjectDef[] = [
  object('Organization', 'Organization', '00D', [
    str('Name', 'Name', 80),
    picklist('OrganizationType', 'Edition', ['Team Edition', 'Professional Edition', 'Enterprise Edition', 'Developer Edition', 'Personal Edition', 'Unlimited Edition', 'Contact Manager Edition', 'Base Edition', 'Performance Edition']),
    bool('IsSandbox', 'Is Sandbox'),
    field('TrialExpirationDate', 'datetime', 'Trial Expiration Date'),
    str('InstanceName', 'Instance Name', 5),
    str('NamespacePrefix', 'Namespace Prefix', 15),
    str('Country', 'Country', 80),
    picklist('LanguageLocaleKey', 'Language', LANGUAGES),
    picklist('DefaultLocaleSidKey', 'Locale', LOCALES),
    picklist('TimeZoneSidKey', 'Time Zone', TIME_ZONES),
    ...audit(),
  ]),
  object('UserLicense', 'User License', '100', [
    str('Name', 'Name', 40),
    str('MasterLabel', 'Master Label', 80),
    str('LicenseDefinitionKey', 'License Definition Key', 40),
    picklist('Status', 'Status', ['Active', 'Disabled']),
    field('TotalLicenses', 'int', 'Total Licenses'),
    field('UsedLicenses', 'int', 'Used Licenses'),
    field('UsedLicensesLastUpdated', 'datetime', 'Used Licenses Last Updated'),
    ...audit(),
  ]),
  object(
    'Profile',
    'Profile',
    '00e',
    [
      str('Name', 'Name', 255),
      ref('UserLicenseId', 'User License ID', ['UserLicense'], 'UserLicense'),
      picklist('UserType', 'User Type', ['Standard', 'PowerPartner', 'CspLitePortal', 'CustomerSuccess', 'PowerCustomerSuccess', 'CsnOnly', 'Guest']),
      field('Description', 'textarea', 'Description', { length: 255 }),
      ...permissionFields(),
      ...audit(),
    ],
    { childRelationships: [child('Users', 'User', 'ProfileId')] }
  ),
  object(
    'UserRole',
    'Role',
    '00E',
    [str('Name', 'Name', 80), str('DeveloperName', 'Developer Name', 80), ref('ParentRoleId', 'Parent Role ID', ['UserRole'], undefined)],
    { childRelationships: [child('Users', 'User', 'UserRoleId')] }
  ),
  object(
    'User',
    'User',
    '005',
    [
      str('Username', 'Username', 80, writable),
      str('LastName', 'Last Name', 80, writable),
      str('FirstName', 'First Name', 40, writable),
      str('Name', 'Full Name', 121),
      field('Email', 'email', 'Email', { ...writable, length: 128 }),
      str('Alias', 'Alias', 8, writable),
      str('CommunityNickname', 'Nickname', 40, writable),
      str('Title', 'Title', 80, writable),
      str('Department', 'Department', 80, writable),
      str('CompanyName', 'Company Name', 80, writable),
      str('FederationIdentifier', 'SAML Federation ID', 512, writable),
      field('AboutMe', 'textarea', 'About Me', { ...writable, length: 1000 }),
      picklist('TimeZoneSidKey', 'Time Zone', TIME_ZONES, writable),
      picklist('LocaleSidKey', 'Locale', LOCALES, writable),
      picklist('LanguageLocaleKey', 'Language', LANGUAGES, writable),
      picklist('EmailEncodingKey', 'Email Encoding', EMAIL_ENCODINGS, writable),
      ref('ProfileId', 'Profile ID', ['Profile'], 'Profile', writable),
      ref('UserRoleId', 'Role ID', ['UserRole'], 'UserRole', writable),
      ref('ManagerId', 'Manager ID', ['User'], 'Manager', writable),
      bool('IsActive', 'Active', writable),
      picklist('UserType', 'User Type', ['Standard', 'PowerPartner', 'CspLitePortal', 'CustomerSuccess', 'PowerCustomerSuccess', 'CsnOnly', 'Guest']),
      field('LastLoginDate', 'datetime', 'Last Login'),
      field('LastPasswordChangeDate', 'datetime', 'Last Password Change or Reset'),
      ...audit(),
    ],
    {
      createable: true,
      updateable: true,
      childRelationships: [
        child('PermissionSetAssignments', 'PermissionSetAssignment', 'AssigneeId'),
        child('PermissionSetLicenseAssignments', 'PermissionSetLicenseAssign', 'AssigneeId'),
      ],
    }
  ),
  object(
    'PermissionSet',
    'Permission Set',
    '0PS',
    [
      str('Name', 'Name', 80, writable),
      str('Label', 'Label', 80, writable),
      field('Description', 'textarea', 'Description', { length: 255, ...writable }),
      // Updateable in describe; a change after creation is refused by the rule (permissionRules.ts).
      ref('LicenseId', 'License ID', ['PermissionSetLicense', 'UserLicense'], 'License', writable),
      bool('IsOwnedByProfile', 'Is Owned By Profile'),
      ref('ProfileId', 'Profile ID', ['Profile'], 'Profile'),
      ref('PermissionSetGroupId', 'Permission Set Group ID', ['PermissionSetGroup'], 'PermissionSetGroup'),
      picklist('Type', 'Type', ['Regular', 'Group', 'Profile', 'Muting', 'Session']),
      bool('IsCustom', 'Custom'),
      str('NamespacePrefix', 'Namespace Prefix', 15),
      bool('HasActivationRequired', 'Session Activation Required', writable),
      ...permissionFields().map((f) => ({ ...f, ...writable })),
      ...audit(),
    ],
    {
      createable: true,
      updateable: true,
      deletable: true,
      childRelationships: [
        child('Assignments', 'PermissionSetAssignment', 'PermissionSetId'),
        child('ObjectPerms', 'ObjectPermissions', 'ParentId'),
        child('FieldPerms', 'FieldPermissions', 'ParentId'),
        child('SetupEntityAccessItems', 'SetupEntityAccess', 'ParentId'),
      ],
    }
  ),
  object(
    'PermissionSetLicense',
    'Permission Set License',
    '0PL',
    [
      str('DeveloperName', 'Permission Set License Name', 80),
      str('MasterLabel', 'Label', 80),
      str('PermissionSetLicenseKey', 'Permission Set License Key', 80),
      picklist('Status', 'Status', ['Active', 'Disabled']),
      field('TotalLicenses', 'int', 'Total Licenses'),
      field('UsedLicenses', 'int', 'Used Licenses'),
      field('ExpirationDate', 'date', 'Expiration Date'),
      bool('IsAvailableForIntegrations', 'Available for Integrations'),
      ...audit(),
    ],
    { childRelationships: [child('PermissionSetLicenseAssignments', 'PermissionSetLicenseAssign', 'PermissionSetLicenseId')] }
  ),
  object(
    'PermissionSetLicenseAssign',
    'Permission Set License Assignment',
    '2LA',
    [
      ref('AssigneeId', 'Assignee ID', ['User'], 'Assignee', { ...createOnly, nillable: false }),
      ref('PermissionSetLicenseId', 'Permission Set License ID', ['PermissionSetLicense'], 'PermissionSetLicense', { ...createOnly, nillable: false }),
      ...audit(),
    ],
    { createable: true, deletable: true }
  ),
  object(
    'PermissionSetAssignment',
    'Permission Set Assignment',
    '0Pa',
    [
      ref('AssigneeId', 'Assignee ID', ['User'], 'Assignee', { ...createOnly, nillable: false }),
      ref('PermissionSetId', 'Permission Set ID', ['PermissionSet'], 'PermissionSet', createOnly),
      ref('PermissionSetGroupId', 'Permission Set Group ID', ['PermissionSetGroup'], 'PermissionSetGroup', createOnly),
      field('ExpirationDate', 'datetime', 'Expiration Date', writable),
      bool('IsActive', 'Is Active'),
      field('SystemModstamp', 'datetime', 'System Modstamp'),
    ],
    { createable: true, updateable: true, deletable: true }
  ),
  object(
    'PermissionSetGroup',
    'Permission Set Group',
    '0PG',
    [
      str('DeveloperName', 'Developer Name', 80, writable),
      str('MasterLabel', 'Label', 80, writable),
      field('Description', 'textarea', 'Description', { length: 255, ...writable }),
      str('NamespacePrefix', 'Namespace Prefix', 15),
      picklist('Status', 'Status', ['Updated', 'Outdated', 'Updating', 'Failed']),
      bool('HasActivationRequired', 'Session Activation Required', writable),
      ...audit(),
    ],
    {
      createable: true,
      updateable: true,
      deletable: true,
      childRelationships: [child('PermissionSetGroupComponents', 'PermissionSetGroupComponent', 'PermissionSetGroupId')],
    }
  ),
  object(
    'PermissionSetGroupComponent',
    'Permission Set Group Component',
    '0PH',
    [
      ref('PermissionSetGroupId', 'Permission Set Group ID', ['PermissionSetGroup'], 'PermissionSetGroup', createOnly),
      ref('PermissionSetId', 'Permission Set ID', ['PermissionSet'], 'PermissionSet', createOnly),
      ...audit(),
    ],
    { createable: true, deletable: true }
  ),
  object(
    'ObjectPermissions',
    'Object Permissions',
    '110',
    [
      ref('ParentId', 'Parent ID', ['PermissionSet'], 'Parent', createOnly),
      picklist('SobjectType', 'Sobject Type Name', Object.keys(OBJECT_PLURAL_LABELS), createOnly),
      ...Object.keys(OBJECT_PERMISSIONS).map((name) => bool(name, name.replace(/^Permissions/, ''), writable)),
      ...audit(),
    ],
    { createable: true, updateable: true, deletable: true }
  ),
  object(
    'FieldPermissions',
    'Field Permissions',
    '01k',
    [
      ref('ParentId', 'Parent ID', ['PermissionSet'], 'Parent', createOnly),
      picklist('SobjectType', 'Sobject Type Name', Object.keys(OBJECT_PLURAL_LABELS), createOnly),
      str('Field', 'Field Name', 255, createOnly),
      bool('PermissionsRead', 'Read', writable),
      bool('PermissionsEdit', 'Edit', writable),
      ...audit(),
    ],
    { createable: true, updateable: true, deletable: true }
  ),
  object('SetupEntityAccess', 'Setup Entity Access', '0J0', [
    ref('ParentId', 'Parent ID', ['PermissionSet'], 'Parent'),
    ref('SetupEntityId', 'Setup Entity ID', ['ApexClass', 'ConnectedApplication', 'ExternalClientApplication'], undefined),
    picklist('SetupEntityType', 'Setup Entity Type', ['ApexClass', 'ApexPage', 'ConnectedApplication', 'ExternalClientApplication', 'CustomPermission']),
    ...audit(),
  ]),
  object(
    'UserLogin',
    'User Login',
    '060',
    [
      ref('UserId', 'User ID', ['User'], undefined),
      bool('IsFrozen', 'Is Frozen', { updateable: true }),
      bool('IsPasswordLocked', 'Is Password Locked', { updateable: true }),
      field('LastModifiedDate', 'datetime', 'Last Modified Date'),
      ref('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy'),
    ],
    { updateable: true }
  ),
  object('LoginHistory', 'Login History', '0Ya', [
    ref('UserId', 'User ID', ['User'], undefined),
    field('LoginTime', 'datetime', 'Login Time'),
    picklist('LoginType', 'Login Type', ['Application', 'Remote Access 2.0', 'Remote Access Client', 'Other Apex API', 'SAML Sfdc Initiated SSO', 'Partner Product']),
    str('LoginUrl', 'Login URL', 255),
    str('AuthenticationServiceId', 'Authentication Service ID', 18),
    str('CipherSuite', 'Cipher Suite', 255),
    str('CountryIso', 'Country Code', 2),
    str('NetworkId', 'Network ID', 18),
    bool('OptionsIsGet', 'Is Get'),
    bool('OptionsIsPost', 'Is Post'),
    str('TlsProtocol', 'TLS Protocol', 255),
    ...['LoginSubType', 'Application', 'Status', 'SourceIp', 'ApiType', 'ApiVersion', 'Browser', 'Platform', 'ClientVersion', 'LoginGeoId'].map((name) =>
      // Object Reference: these are Group and Sort, not Filter.
      str(name, name.replace(/([a-z])([A-Z])/g, '$1 $2'), 255, { filterable: false, sortable: true, groupable: true })
    ),
  ]),
  object(
    'OauthToken',
    'OAuth Token',
    '0CQ',
    [
      ref('UserId', 'User ID', ['User'], 'User'),
      str('AppName', 'App Name', 255),
      str('AppMenuItemId', 'App Menu Item ID', 18),
      field('LastUsedDate', 'datetime', 'Last Used Date'),
      field('UseCount', 'int', 'Use Count'),
      str('DeleteToken', 'Delete Token', 255),
      field('CreatedDate', 'datetime', 'Created Date'),
    ],
    { maxQueryRows: 2500, pageSize: 500 }
  ),
  // The running user's own effective permissions (one computed row; see access.ts). Its Permissions* fields filter but do not group or sort.
  object('UserPermissionAccess', 'User Permission Access', '000', [
    field('LastCacheUpdate', 'datetime', 'Last Cache Update'),
    ...permissionFields().map((f) => ({ ...f, sortable: false, groupable: false })),
  ]),
  // Lifecycle objects: scheduled jobs and External Client App headers (README "Lifecycle resources").
  object('CronJobDetail', 'Cron Job Detail', '08a', [
    str('Name', 'Job Name', 255),
    picklist('JobType', 'Job Type', ['0', '1', '3', '4', '6', '7', '8', '9', 'A']),
  ]),
  object('CronTrigger', 'Cron Trigger', '08e', [
    ref('CronJobDetailId', 'Job ID', ['CronJobDetail'], 'CronJobDetail'),
    ref('OwnerId', 'Owner ID', ['User'], 'Owner'),
    picklist('State', 'State', ['WAITING', 'ACQUIRED', 'EXECUTING', 'COMPLETE', 'ERROR', 'DELETED', 'PAUSED', 'BLOCKED', 'PAUSED_BLOCKED']),
    str('CronExpression', 'Cron Expression', 255),
    field('NextFireTime', 'datetime', 'Next Run Time'),
    field('PreviousFireTime', 'datetime', 'Previous Run Time'),
    field('StartTime', 'datetime', 'Start Time'),
    field('EndTime', 'datetime', 'End Time'),
    field('TimesTriggered', 'int', 'Times Triggered'),
    ...audit(),
  ]),
  object('ExternalClientApplication', 'External Client Application', '0xI', [
    str('DeveloperName', 'Name', 80),
    str('MasterLabel', 'Label', 80),
    picklist('DistributionState', 'Distribution State', ['Local', 'Packaged']),
    str('NamespacePrefix', 'Namespace Prefix', 15),
    ...audit(),
  ]),
];

const BY_NAME = new Map(OBJECTS.map((o) => [o.name.toLowerCase(), o]));
const BY_PREFIX = new Map(OBJECTS.map((o) => [o.keyPrefix, o]));

export function objectDef(name: string): SObjectDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function objectByPrefix(idOrPrefix: string): SObjectDef | undefined {
  return BY_PREFIX.get(idOrPrefix.slice(0, 3));
}
