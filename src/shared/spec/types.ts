/**
 * The integrations spec (`integrations.yaml` / `.json`): the desired state of an org's integration users.
 * Its JSON Schema is committed as `schemas/integration-spec.json` (test/shared/spec/schema.test.ts keeps
 * the two in agreement). Every parsed node keeps its source line, for errors and SARIF locations.
 */

/** Spec key → User field API name: the User fields a spec may give (compared and changed only when given). */
export const USER_FIELDS = {
  email: 'Email',
  firstName: 'FirstName',
  lastName: 'LastName',
  alias: 'Alias',
  title: 'Title',
  department: 'Department',
  companyName: 'CompanyName',
  timeZoneSidKey: 'TimeZoneSidKey',
  localeSidKey: 'LocaleSidKey',
  languageLocaleKey: 'LanguageLocaleKey',
  emailEncodingKey: 'EmailEncodingKey',
} as const;
export type UserFieldKey = keyof typeof USER_FIELDS;

/** The User fields `defaults` may give: applied only when a user is created, never compared. */
export const DEFAULT_FIELDS = [
  'email',
  'title',
  'department',
  'companyName',
  'timeZoneSidKey',
  'localeSidKey',
  'languageLocaleKey',
  'emailEncodingKey',
] as const satisfies readonly UserFieldKey[];
export type DefaultFieldKey = (typeof DEFAULT_FIELDS)[number];

export const GRANT_KEYS = ['permissionSetLicenses', 'permissionSets', 'permissionSetGroups'] as const;
export type GrantKey = (typeof GRANT_KEYS)[number];

/** An integration's keys besides the User fields and the grants. */
export const INTEGRATION_KEYS = ['name', 'username', 'owner', 'state', 'apiIntegrationPsl'] as const;
export const ENVIRONMENT_KEYS = ['targetOrg', 'usernameSuffix', 'integrations'] as const;
export const TOP_KEYS = ['version', 'defaults', 'integrations', 'environments'] as const;

/** present: active, with exactly the listed grants; inactive: deactivated, with exactly the listed grants; absent: deactivated, no grants. */
export type SpecState = 'present' | 'inactive' | 'absent';

/** One grant as the spec lists it. `reason` and `expires` only for permission sets. */
export type SpecGrant = {
  name: string;
  /** Why the integration needs it: kept in the plan and in drift findings. */
  reason?: string;
  /** `YYYY-MM-DD`: the assignment's ExpirationDate. */
  expires?: string;
  /** 1-based line of the grant in the spec file. */
  line: number;
  /** 1-based column of the grant's name, and its key path (e.g. integrations[0].permissionSets[1]), when read from a file. */
  column?: number;
  key?: string;
};

/** Where a value sits in the spec file: 1-based line and column, and its key path (e.g. integrations[0].alias). */
export type SpecPlace = { line: number; column: number; key: string };

/** The keys of one integration body (an entry of `integrations`, or an environment's override). */
export type IntegrationBody = {
  username?: string;
  owner?: string;
  state?: SpecState;
  /** false: the Salesforce API Integration PSL is not implied (plan doesn't assign it; a held one is kept). Default true. */
  apiIntegrationPsl?: boolean;
  fields: Partial<Record<UserFieldKey, string>>;
  permissionSetLicenses?: SpecGrant[];
  permissionSets?: SpecGrant[];
  permissionSetGroups?: SpecGrant[];
  /** Where each key's value sits (spec key → place), for problems found when planning. */
  at?: Partial<Record<string, SpecPlace>>;
};

export type SpecIntegration = IntegrationBody & {
  name: string;
  /** 1-based line of the integration's entry. */
  line: number;
  /** The entry's place (key integrations[i]), when read from a file. */
  place?: SpecPlace;
};

export type SpecEnvironment = {
  name: string;
  line: number;
  targetOrg?: string;
  usernameSuffix?: string;
  /** Overrides by integration name. */
  overrides: Array<IntegrationBody & { name: string; line: number }>;
};

export type Spec = {
  /** The path the spec was read from (as given). */
  file: string;
  version: 1;
  defaults: Partial<Record<DefaultFieldKey, string>>;
  integrations: SpecIntegration[];
  environments: SpecEnvironment[];
  /**
   * Only from loadSpec(file, {deferProblems: true}): the spec's own problems, left for the plan to report
   * together with the problems it finds against the org (every problem at once). The spec is then partial:
   * a value with a problem is left out.
   */
  problems?: SpecProblem[];
};

/** One problem of a spec file, located; actions only for problems found when planning. */
export type SpecProblem = SpecPlace & { message: string; actions?: string[] };

/** One integration as it applies to one environment: overrides merged, username suffix applied. */
export type ResolvedIntegration = {
  name: string;
  /** The username given in the spec (suffix applied), or undefined when it is derived from the name. */
  username?: string;
  owner?: string;
  state: SpecState;
  /** Present (false) only when the spec turns the implied Salesforce API Integration PSL off. */
  apiIntegrationPsl?: false;
  fields: Partial<Record<UserFieldKey, string>>;
  permissionSetLicenses: SpecGrant[];
  permissionSets: SpecGrant[];
  permissionSetGroups: SpecGrant[];
  line: number;
  /** The entry's place and each key's value place (an environment's override wins), when read from a file. */
  place?: SpecPlace;
  at: Partial<Record<string, SpecPlace>>;
};

export type ResolvedSpec = {
  file: string;
  /** The environment's name, or undefined for the spec without an environment. */
  environment?: string;
  targetOrg?: string;
  usernameSuffix?: string;
  defaults: Spec['defaults'];
  integrations: ResolvedIntegration[];
  /** The spec's own problems when loaded with deferProblems (see Spec.problems). */
  problems?: SpecProblem[];
};
