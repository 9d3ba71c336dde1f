/**
 * Pure generation: an AppSpec in, the External Client App's metadata files out (source format, paths relative
 * to the output folder). Never writes consumerKey, consumerSecret, oauthLink, orgScopedExternalApp or any
 * record Id.
 */
import type { AppSpec, EcaFile, EcaType, Flow } from './types.js';
import { metadataXml, type Fields } from './xml.js';

/** Folder and suffix of each type (docs/platform-facts.md §15.1). */
export const LAYOUT: Record<EcaType, { folder: string; suffix: string }> = {
  ExternalClientApplication: { folder: 'externalClientApps', suffix: 'eca' },
  ExtlClntAppGlobalOauthSettings: { folder: 'extlClntAppGlobalOauthSets', suffix: 'ecaGlblOauth' },
  ExtlClntAppOauthSettings: { folder: 'extlClntAppOauthSettings', suffix: 'ecaOauth' },
  ExtlClntAppOauthConfigurablePolicies: { folder: 'extlClntAppOauthPolicies', suffix: 'ecaOauthPlcy' },
  ExtlClntAppConfigurablePolicies: { folder: 'extlClntAppPolicies', suffix: 'ecaPlcy' },
};

/** The name Salesforce gives the OAuth policies it generates on deploy: `<OauthSettingsName>_defaultPolicy`. */
export function oauthPoliciesName(appName: string): string {
  return `${appName}_defaultPolicy`;
}

/** Refresh tokens: none for client credentials, short for JWT, a bounded lifetime for web server. */
const REFRESH_POLICY: Record<Flow, Fields> = {
  'client-credentials': { refreshTokenPolicyType: 'Zero' },
  jwt: { refreshTokenPolicyType: 'SpecificLifetime', refreshTokenValidityPeriod: 4, refreshTokenValidityUnit: 'Hours' },
  'web-server': { refreshTokenPolicyType: 'SpecificLifetime', refreshTokenValidityPeriod: 30, refreshTokenValidityUnit: 'Days' },
};

export function generateFiles(spec: AppSpec): EcaFile[] {
  const cc = spec.flow === 'client-credentials';
  const link = { externalClientApplication: spec.name, label: spec.label };
  const files: EcaFile[] = [
    file('ExternalClientApplication', spec.name, {
      contactEmail: spec.contactEmail,
      description: spec.description,
      distributionState: 'Local',
      isProtected: false,
      label: spec.label,
    }),
    file('ExtlClntAppGlobalOauthSettings', spec.name, {
      ...link,
      callbackUrl: spec.callbackUrl,
      certificate: spec.certificate,
      isClientCredentialsFlowEnabled: cc,
      isConsumerSecretOptional: false,
      isDeviceFlowEnabled: false,
      isIntrospectAllTokens: false,
      isPkceRequired: true,
      isRefreshTokenRotationEnabled: spec.flow === 'web-server',
      isSecretRequiredForRefreshToken: true,
      isTokenExchangeEnabled: false,
      shouldRotateConsumerKey: false,
      shouldRotateConsumerSecret: false,
    }),
    file('ExtlClntAppOauthSettings', spec.name, { ...link, commaSeparatedOauthScopes: spec.scopes.join(', ') }),
    file('ExtlClntAppOauthConfigurablePolicies', oauthPoliciesName(spec.name), {
      ...link,
      clientCredentialsFlowUser: cc ? spec.runAs : undefined,
      commaSeparatedPermissionSet: listOrUndefined(spec.permissionSets),
      commaSeparatedProfile: listOrUndefined(spec.profiles),
      ipRelaxationPolicyType: 'Enforce',
      isClientCredentialsFlowEnabled: cc,
      isTokenExchangeFlowEnabled: false,
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      ...REFRESH_POLICY[spec.flow],
    }),
  ];
  // Named users sign in through the app's OAuth plugin: pin the app and the plugin on, as the retrieved JWT app does.
  if (!cc) {
    files.push(file('ExtlClntAppConfigurablePolicies', spec.name, { ...link, isEnabled: true, isOauthPluginEnabled: true }));
  }
  return files;
}

function file(type: EcaType, fullName: string, fields: Fields): EcaFile {
  const { folder, suffix } = LAYOUT[type];
  return { path: `${folder}/${fullName}.${suffix}-meta.xml`, type, fullName, xml: metadataXml(type, fields) };
}

function listOrUndefined(values: readonly string[]): string | undefined {
  return values.length > 0 ? values.join(', ') : undefined;
}
