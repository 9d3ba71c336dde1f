/**
 * The default seed: "Acme Corporation", an Enterprise Edition org with human users, integration users done
 * right and wrong, and the license / profile / permission set catalogue they use (table in README.md).
 */
import type { Db } from '../core/db.js';
import { seedLifecycle } from './lifecycle.js';
import { seedScale } from './seedScale.js';
import { DOMAIN, SeedBuilder, UI_LOGIN, type LoginKind, type UserSeed } from './seedBuilder.js';
import type { SRecord } from '../core/types.js';

export type SeedOptions = {
  now: Date;
  edition: string;
  /**
   * Seats of the `Salesforce Integration` user license and, as a real org gets them together, of the
   * `Salesforce API Integration` PSL; null = the edition has no such license (the PSL then has 0 seats).
   */
  integrationLicenses: number | null;
  /** Extra generated users (the scale seed); 0 for the default seed. */
  scale: number;
};

export type Catalog = {
  licenses: Record<'salesforce' | 'platform' | 'identity', SRecord> & { integration?: SRecord };
  profiles: Record<string, { profile: SRecord; set: SRecord }>;
  psls: Record<'api' | 'cpq' | 'cpqAa', SRecord>;
  sets: Record<string, SRecord>;
  groups: Record<string, SRecord>;
};

export const ORG_NAME = 'Acme Corporation';
export const ADMIN_USERNAME = 'admin@acme.example.com';

const ADMIN_PERMISSIONS = [
  'ModifyAllData', 'ViewAllData', 'ManageUsers', 'ManageInternalUsers', 'ResetPasswords', 'AuthorApex', 'CustomizeApplication',
  'ViewSetup', 'ApiEnabled', 'ModifyMetadata', 'ManageProfilesPermissionsets', 'AssignPermissionSets', 'ViewAllUsers',
  'MonitorLoginHistory', 'ManageSharing', 'ManageRoles', 'DataExport', 'ManageConnectedApps',
  'ExternalClientAppDeveloper', 'ViewClientSecret',
];
const ALL_ACCESS = { Account: 'RCEDVM', Contact: 'RCEDVM', Opportunity: 'RCEDVM', Campaign: 'RCEDVM', Lead: 'RCEDVM', Case: 'RCEDVM' };
const STANDARD_ACCESS = { Account: 'RCE', Contact: 'RCE', Opportunity: 'RCE', Campaign: 'R', Lead: 'RCE', Case: 'RCE' };

export function seedOrg(db: Db, options: SeedOptions): { orgId: string; adminId: string } {
  const b = new SeedBuilder(db, options.now);
  const org = db.insert('Organization', {
    Name: ORG_NAME,
    OrganizationType: options.edition,
    IsSandbox: false,
    TrialExpirationDate: null,
    InstanceName: 'NA224',
    NamespacePrefix: null,
    Country: 'US',
    LanguageLocaleKey: 'en_US',
    DefaultLocaleSidKey: 'en_US',
    TimeZoneSidKey: 'America/Los_Angeles',
    CreatedDate: b.daysAgo(900),
  });
  const catalog = seedCatalog(b, options.integrationLicenses);
  seedUsers(b, catalog);
  if (options.scale > 0) seedScale(b, catalog, options.scale);
  seedLifecycle(db, b, b.adminId);
  for (const record of db.records('Organization')) db.update(record, { CreatedById: b.adminId, LastModifiedById: b.adminId });
  db.commit();
  return { orgId: org.Id, adminId: b.adminId };
}

function seedCatalog(b: SeedBuilder, integrationSeats: number | null): Catalog {
  const licenses = {
    salesforce: b.userLicense('Salesforce', 50, 'SFDC'),
    platform: b.userLicense('Salesforce Platform', 20, 'AUL'),
    integration: integrationSeats === null ? undefined : b.userLicense('Salesforce Integration', integrationSeats, 'SFDC_INTEGRATION'),
    identity: b.userLicense('Identity', 10, 'PID_IDENTITY'),
  };
  const profiles: Catalog['profiles'] = {
    'System Administrator': b.profile('System Administrator', licenses.salesforce, ADMIN_PERMISSIONS, ALL_ACCESS),
    'Standard User': b.profile('Standard User', licenses.salesforce, ['ApiEnabled'], STANDARD_ACCESS),
    'Minimum Access - Salesforce': b.profile('Minimum Access - Salesforce', licenses.salesforce, []),
    'Standard Platform User': b.profile('Standard Platform User', licenses.platform, ['ApiEnabled'], { Account: 'RCE', Contact: 'RCE' }),
  };
  if (licenses.integration) {
    for (const name of ['Minimum Access - API Only Integrations', 'Salesforce API Only System Integrations']) {
      profiles[name] = b.profile(name, licenses.integration, ['ApiEnabled', 'ApiUserOnly']);
    }
  }
  const psls = {
    api: b.psl('SalesforceAPIIntegrationPsl', 'Salesforce API Integration', integrationSeats ?? 0),
    cpq: b.psl('SalesforceCPQ_CPQStandardPerm', 'Salesforce CPQ License', 10),
    cpqAa: b.psl('SalesforceCPQ_CPQAAPerm', 'Salesforce CPQ AA License', 0),
  };
  const sets: Record<string, SRecord> = {
    Billing_Sync_Access: b.permissionSet('Billing_Sync_Access', 'Billing Sync Access', null, [], { Account: 'RCE', Opportunity: 'R' }),
    Integration_API_Access: b.permissionSet('Integration_API_Access', 'Integration API Access', psls.api.Id, ['ApiEnabled'], { Contact: 'R' }),
    Sales_User_Extras: b.permissionSet('Sales_User_Extras', 'Sales User Extras', licenses.salesforce.Id, [], { Opportunity: 'RE' }),
    Data_Steward_ViewAll: b.permissionSet('Data_Steward_ViewAll', 'Data Steward View All', null, ['ViewAllData']),
    Integration_Admin_Danger: b.permissionSet('Integration_Admin_Danger', 'Integration Admin (Danger)', null, ['ModifyAllData', 'ManageUsers', 'AuthorApex', 'CustomizeApplication']),
    Account_Modify_All: b.permissionSet('Account_Modify_All', 'Account Modify All', null, [], { Account: 'RCEDVM' }),
    Marketing_Shared: b.permissionSet('Marketing_Shared', 'Marketing Shared', null, [], { Campaign: 'R' }),
    API_Only_User: b.permissionSet('API_Only_User', 'API Only User', null, ['ApiUserOnly']),
    CPQ_Extras: b.permissionSet('CPQ_Extras', 'CPQ Extras', psls.cpqAa.Id, []),
  };
  if (licenses.integration) {
    sets.Integration_Reader = b.permissionSet('Integration_Reader', 'Integration Reader', licenses.integration.Id, []);
  }
  const groups: Record<string, SRecord> = {
    Integration_Bundle: b.group('Integration_Bundle', 'Integration Bundle', 'Updated', [sets.Billing_Sync_Access, sets.Integration_API_Access]),
    Sales_Bundle: b.group('Sales_Bundle', 'Sales Bundle', 'Updated', [sets.Sales_User_Extras]),
  };
  if (sets.Integration_Reader) groups.Legacy_Bundle = b.group('Legacy_Bundle', 'Legacy Bundle', 'Outdated', [sets.Integration_Reader]);
  return { licenses, profiles, psls, sets, groups };
}

const oauth = (subType: string, application: string): LoginKind => ({ type: 'Remote Access 2.0', subType, application });

function seedUsers(b: SeedBuilder, c: Catalog): void {
  const profile = (name: string): SRecord => c.profiles[name].profile;
  const human = (username: string, first: string, last: string, profileName: string, sets: string[]): SRecord => {
    const user = b.user({ username: `${username}@${DOMAIN}`, first, last, profile: profile(profileName), lastLoginDaysAgo: 1 });
    b.assign(user, c.profiles[profileName].set);
    for (const s of sets) b.assign(user, c.sets[s]);
    for (let day = 1; day <= 20; day += 3) b.login(user, day, UI_LOGIN, 8);
    return user;
  };
  const admin = human('admin', 'Ada', 'Admin', 'System Administrator', []);
  b.login(admin, 0, UI_LOGIN, 0);
  human('jane.doe', 'Jane', 'Doe', 'Standard User', ['Marketing_Shared']);
  human('john.smith', 'John', 'Smith', 'Standard User', ['Data_Steward_ViewAll']);
  human('priya.patel', 'Priya', 'Patel', 'Standard Platform User', []);
  if (c.licenses.integration) seedIntegrationUsers(b, c);

  const erp = b.user({ username: `erp.integration@${DOMAIN}`, first: 'ERP', last: 'Integration', profile: profile('Minimum Access - Salesforce'), lastLoginDaysAgo: 0, createdDaysAgo: 500 });
  b.assign(erp, c.profiles['Minimum Access - Salesforce'].set);
  b.assign(erp, c.sets.API_Only_User);
  b.assign(erp, c.sets.Integration_Admin_Danger);
  for (let day = 0; day < 30; day += 2) b.login(erp, day, oauth('OauthRefreshToken', 'SAP Connector'), 3);
  b.oauthToken(erp, 'SAP Connector', 0, 1200);

  const reporting = b.user({ username: `reporting.api@${DOMAIN}`, first: 'Reporting', last: 'API', profile: profile('Standard User'), lastLoginDaysAgo: 1, createdDaysAgo: 350 });
  b.assign(reporting, c.profiles['Standard User'].set);
  for (let day = 1; day < 30; day += 3) b.login(reporting, day, oauth('OauthWebServer', 'Tableau'), 6);
  b.oauthToken(reporting, 'Tableau', 1, 240);
}

function seedIntegrationUsers(b: SeedBuilder, c: Catalog): void {
  const newProfile = c.profiles['Minimum Access - API Only Integrations'];
  const legacyProfile = c.profiles['Salesforce API Only System Integrations'];
  const integration = (username: string, last: string, p: typeof newProfile, extra: Partial<UserSeed>): SRecord => {
    const user = b.user({ username: `${username}@${DOMAIN}`, last, profile: p.profile, createdDaysAgo: 300, ...extra });
    b.assign(user, p.set);
    return user;
  };

  const billing = integration('billing.sync', 'Billing Sync', newProfile, { lastLoginDaysAgo: 0 });
  b.assignPsl(billing, c.psls.api);
  b.assign(billing, c.sets.Billing_Sync_Access);
  b.assignGroup(billing, c.groups.Integration_Bundle);
  for (let day = 0; day < 30; day++) b.login(billing, day, oauth('OauthClientCredentials', 'Billing Sync'), 2);

  const warehouse = integration('warehouse.sync', 'Warehouse Sync', newProfile, { lastLoginDaysAgo: 12, frozen: true });
  b.assign(warehouse, c.sets.Integration_API_Access);
  for (let day = 12; day < 30; day += 2) b.login(warehouse, day, oauth('OauthClientCredentials', 'Warehouse Sync'), 4);

  const shared = integration('shared.connector', 'Shared Connector', newProfile, { lastLoginDaysAgo: 0 });
  b.assignPsl(shared, c.psls.api);
  for (const s of ['Marketing_Shared', 'Account_Modify_All', 'Data_Steward_ViewAll']) b.assign(shared, c.sets[s]);
  for (let day = 0; day < 30; day += 2) b.login(shared, day, oauth('OauthRefreshToken', 'Workato'), 5);
  for (let day = 1; day < 30; day += 4) b.login(shared, day, oauth('OauthRefreshToken', 'Zapier'), 7);
  b.login(shared, 5, UI_LOGIN, 14);
  b.oauthToken(shared, 'Workato', 0, 800);
  b.oauthToken(shared, 'Zapier', 1, 150);

  const legacy = integration('legacy.etl', 'Legacy ETL', legacyProfile, { lastLoginDaysAgo: 200, createdDaysAgo: 800 });
  b.assignPsl(legacy, c.psls.api);

  const old = integration('old.integration', 'Old Integration', newProfile, { active: false, lastLoginDaysAgo: 120, createdDaysAgo: 600 });
  b.assignPsl(old, c.psls.api);
  b.assign(old, c.sets.Billing_Sync_Access);
}
