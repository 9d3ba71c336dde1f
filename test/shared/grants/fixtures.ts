/** Hand-built org data for the grant modules' unit tests (mirrors the emulator's default seed). */
import { licensesRead, type Licenses } from '../../../src/shared/licenses.js';
import type { UserWithGrants } from '../../../src/shared/users.js';
import { catalogRead, type Catalog } from '../../../src/shared/grants/catalog.js';

export const IDS = {
  salesforce: '100000000000001AAA',
  integration: '100000000000002AAA',
  apiPsl: '0PL000000000001AAA',
  cpqPsl: '0PL000000000002AAA',
  cpqAaPsl: '0PL000000000003AAA',
  billing: '0PS000000000001AAA',
  apiAccess: '0PS000000000002AAA',
  reader: '0PS000000000003AAA',
  sales: '0PS000000000004AAA',
  cpqExtras: '0PS000000000005AAA',
  bundle: '0PG000000000001AAA',
  legacyBundle: '0PG000000000002AAA',
  salesBundle: '0PG000000000003AAA',
};

export function licenses(opts: { integrationUsed?: number; apiPslUsed?: number } = {}): Licenses {
  return licensesRead().assemble([
    [
      { Id: IDS.salesforce, Name: 'Salesforce', MasterLabel: 'Salesforce', Status: 'Active', TotalLicenses: 50, UsedLicenses: 10 },
      { Id: IDS.integration, Name: 'Salesforce Integration', MasterLabel: 'Salesforce Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: opts.integrationUsed ?? 4 },
    ],
    [
      { Id: IDS.apiPsl, DeveloperName: 'SalesforceAPIIntegrationPsl', MasterLabel: 'Salesforce API Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: opts.apiPslUsed ?? 2 },
      { Id: IDS.cpqPsl, DeveloperName: 'SalesforceCPQ_CPQStandardPerm', MasterLabel: 'Salesforce CPQ License', Status: 'Active', TotalLicenses: 10, UsedLicenses: 0 },
      { Id: IDS.cpqAaPsl, DeveloperName: 'SalesforceCPQ_CPQAAPerm', MasterLabel: 'Salesforce CPQ AA License', Status: 'Active', TotalLicenses: 0, UsedLicenses: 0 },
    ],
  ]);
}

const SETS = [
  { Id: IDS.billing, Name: 'Billing_Sync_Access', Label: 'Billing Sync Access', LicenseId: null },
  { Id: IDS.apiAccess, Name: 'Integration_API_Access', Label: 'Integration API Access', LicenseId: IDS.apiPsl },
  { Id: IDS.reader, Name: 'Integration_Reader', Label: 'Integration Reader', LicenseId: IDS.integration },
  { Id: IDS.sales, Name: 'Sales_User_Extras', Label: 'Sales User Extras', LicenseId: IDS.salesforce },
  { Id: IDS.cpqExtras, Name: 'CPQ_Extras', Label: 'CPQ Extras', LicenseId: IDS.cpqAaPsl },
];
const GROUPS = [
  { Id: IDS.bundle, DeveloperName: 'Integration_Bundle', MasterLabel: 'Integration Bundle', Status: 'Updated' },
  { Id: IDS.legacyBundle, DeveloperName: 'Legacy_Bundle', MasterLabel: 'Legacy Bundle', Status: 'Outdated' },
  { Id: IDS.salesBundle, DeveloperName: 'Sales_Bundle', MasterLabel: 'Sales Bundle', Status: 'Updated' },
];
const COMPONENTS = [
  { PermissionSetGroupId: IDS.bundle, PermissionSetId: IDS.billing, PermissionSet: SETS[0] },
  { PermissionSetGroupId: IDS.bundle, PermissionSetId: IDS.apiAccess, PermissionSet: SETS[1] },
  { PermissionSetGroupId: IDS.legacyBundle, PermissionSetId: IDS.billing, PermissionSet: SETS[0] },
  { PermissionSetGroupId: IDS.salesBundle, PermissionSetId: IDS.sales, PermissionSet: SETS[3] },
];

/** The catalog as catalogRead would assemble it for these names (rows filtered like the IN queries). */
export function catalog(names: { permissionSets: string[]; permissionSetGroups: string[] }): Catalog {
  const part = catalogRead(names);
  const lower = (list: string[]): string[] => list.map((n) => n.toLowerCase());
  const groups = GROUPS.filter((g) => lower(names.permissionSetGroups).includes(g.DeveloperName.toLowerCase()));
  const rows = [
    ...(names.permissionSets.length ? [SETS.filter((s) => lower(names.permissionSets).includes(s.Name.toLowerCase()))] : []),
    ...(names.permissionSetGroups.length ? [groups, COMPONENTS.filter((c) => groups.some((g) => g.Id === c.PermissionSetGroupId))] : []),
  ];
  return part.assemble(rows);
}

export const CANDIDATES = { permissionSets: SETS.map((s) => s.Name), permissionSetGroups: GROUPS.map((g) => g.DeveloperName) };

export function user(overrides: Partial<UserWithGrants> = {}): UserWithGrants {
  return {
    id: '005000000000001AAA',
    username: 'billing.sync@acme.example.com',
    name: 'Billing Sync',
    email: 'it@acme.example.com',
    isActive: true,
    isFrozen: false,
    lastLoginDate: null,
    profileId: '00e000000000001AAA',
    profileName: 'Minimum Access - API Only Integrations',
    userLicense: 'Salesforce Integration',
    isIntegrationLicense: true,
    isLegacyProfile: false,
    permissionSetLicenses: [],
    permissionSets: [],
    permissionSetGroups: [],
    ...overrides,
  };
}
