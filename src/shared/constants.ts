/** Exact platform names the plugin depends on (docs/platform-facts.md §1). */

/** `UserLicense.Name` of the API-only integration user license. */
export const INTEGRATION_USER_LICENSE = 'Salesforce Integration';
/** The current profile on that license; preferred when the org has several. */
export const INTEGRATION_PROFILE = 'Minimum Access - API Only Integrations';
/** The deprecated profile (a custom profile since Summer '24; may be absent, renamed or deleted). */
export const LEGACY_INTEGRATION_PROFILE = 'Salesforce API Only System Integrations';
/** The permission set license every integration user needs before permission sets with standard-object access. */
export const API_INTEGRATION_PSL = {
  developerName: 'SalesforceAPIIntegrationPsl',
  label: 'Salesforce API Integration',
} as const;

/** `Organization.OrganizationType` values that cannot hold integration users. */
export const UNSUPPORTED_EDITIONS = [
  'Professional Edition',
  'Team Edition',
  'Group Edition',
  'Contact Manager Edition',
  'Personal Edition',
] as const;
