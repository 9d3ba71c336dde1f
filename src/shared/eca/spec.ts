/** Validates the raw command input and turns it into an AppSpec, before anything is generated or read. */
import { Messages } from '@salesforce/core';
import { isEmailShaped } from '../model/text.js';
import { isValidAppName, MAX_APP_NAME_LENGTH } from './appName.js';
import { parseCertificate } from './certificate.js';
import type { AppSpec, Flow } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'eca');

/** Metadata scope tokens (docs/platform-facts.md §15.5), canonical spelling. */
export const SCOPES = [
  'Basic', 'Api', 'Web', 'Full', 'Chatter', 'CustomApplications', 'RefreshToken', 'OfflineAccess', 'OpenID',
  'Profile', 'Email', 'Address', 'Phone', 'CustomPermissions', 'Wave', 'Eclair', 'Pardot', 'Lightning',
  'Content', 'CDPIngest', 'CDPProfile', 'CDPQuery', 'Chatbot', 'CDPSegment', 'CDPIdentityResolution',
  'CDPCalculatedInsight', 'SFApiPlatform', 'Interaction', 'EinsteinGPT', 'PwdlessLogin', 'ForgotPassword',
  'UserRegistration', 'MCP', 'SCRT',
] as const;

export const DEFAULT_SCOPES: Record<Flow, string[]> = {
  'client-credentials': ['Api'],
  jwt: ['Api', 'RefreshToken'],
  'web-server': ['Api', 'RefreshToken'],
};

/** sf's own local callback, used by `sf org login jwt` and `sf org login web`. */
export const SF_CALLBACK_URL = 'http://localhost:1717/OauthRedirect';
/** A placeholder callback for client credentials, where no redirect happens (Salesforce's own callback page). */
export const PLACEHOLDER_CALLBACK_URL = 'https://login.salesforce.com/services/oauth2/callback';
/** The oldest source API version with `certificate`, `isClientCredentialsFlowEnabled` and `clientCredentialsFlowUser`. */
export const MIN_API_VERSION = 60;
export const MAX_NAME_LENGTH = MAX_APP_NAME_LENGTH;

export type AppInput = {
  name: string;
  label?: string;
  description?: string;
  contactEmail: string;
  flow: Flow;
  runAs?: string;
  certificate?: { path: string; content: Buffer };
  scopes?: string[];
  callbackUrl?: string;
  permissionSets?: string[];
  profiles?: string[];
  /** --api-version, else the project's sourceApiVersion; 60.0 when neither is set. */
  apiVersion?: string;
};

export type BuiltSpec = { spec: AppSpec; warnings: string[] };

export function buildSpec(input: AppInput, now = new Date()): BuiltSpec {
  const { flow } = input;
  const warnings: string[] = [];
  checkName(input.name);
  const label = input.label ?? input.name.replace(/_/g, ' ');
  checkText('label', label);
  if (input.description !== undefined) checkText('description', input.description);
  if (!isEmailShaped(input.contactEmail)) {
    throw messages.createError('error.InvalidEmail', [input.contactEmail]);
  }
  if (input.runAs !== undefined && !/^[^\s@,]+@[^\s@,]+$/.test(input.runAs)) {
    throw messages.createError('error.InvalidUsername', [input.runAs]);
  }
  if (flow === 'client-credentials' && !input.runAs) throw messages.createError('error.RunAsRequired');

  if (flow !== 'jwt' && input.certificate) throw messages.createError('error.CertificateNotForFlow', [flow]);
  if (flow === 'jwt' && !input.certificate) throw messages.createError('error.CertificateRequired');
  const certificate = input.certificate && parseCertificate(input.certificate.content, input.certificate.path);
  if (certificate && certificate.validTo < now) {
    warnings.push(messages.getMessage('warning.CertificateExpired', [certificate.subject, certificate.validTo.toISOString()]));
  }

  if (flow === 'web-server' && !input.callbackUrl) throw messages.createError('error.CallbackUrlRequired');
  const callbackUrl = input.callbackUrl ?? (flow === 'jwt' ? SF_CALLBACK_URL : PLACEHOLDER_CALLBACK_URL);
  checkCallbackUrl(callbackUrl);

  const permissionSets = unique(input.permissionSets ?? []);
  const badSet = permissionSets.find((n) => !/^[A-Za-z]\w*$/.test(n));
  if (badSet !== undefined) throw messages.createError('error.InvalidPermissionSetName', [badSet]);
  const profiles = unique((input.profiles ?? []).map((p) => p.trim()));
  const badProfile = profiles.find((p) => p === '' || p.includes(','));
  if (badProfile !== undefined) throw messages.createError('error.InvalidProfileName', [badProfile]);
  if (flow !== 'client-credentials' && permissionSets.length + profiles.length === 0) {
    throw messages.createError('error.PreAuthorizationRequired', [flow]);
  }

  const spec: AppSpec = {
    name: input.name,
    label,
    description: input.description,
    contactEmail: input.contactEmail,
    flow,
    runAs: input.runAs,
    certificate: certificate?.body,
    scopes: input.scopes?.length ? canonicalScopes(input.scopes) : DEFAULT_SCOPES[flow],
    callbackUrl,
    permissionSets,
    profiles,
    apiVersion: checkApiVersion(input.apiVersion ?? `${MIN_API_VERSION}.0`),
  };
  return { spec, warnings };
}

/** Salesforce's API name rules: ASCII letters, digits and single underscores, a letter first, no trailing underscore. */
export function checkName(name: string): void {
  if (!isValidAppName(name)) {
    throw messages.createError('error.InvalidName', [name, MAX_NAME_LENGTH]);
  }
}

/** Canonical spelling of each token (case-insensitive), duplicates dropped; unknown tokens are an error. */
export function canonicalScopes(scopes: readonly string[]): string[] {
  const byLower = new Map<string, string>(SCOPES.map((s) => [s.toLowerCase(), s]));
  const tokens = scopes.map((s) => s.trim()).filter(Boolean);
  const unknown = tokens.filter((t) => !byLower.has(t.toLowerCase()));
  if (unknown.length > 0) throw messages.createError('error.UnknownScopes', [unknown.join(', ')], [SCOPES.join(', ')]);
  return unique(tokens.map((t) => byLower.get(t.toLowerCase()) as string));
}

function checkApiVersion(version: string): string {
  const value = Number(version);
  if (!/^\d+\.0$/.test(version) || value < MIN_API_VERSION) {
    throw messages.createError('error.ApiVersionTooLow', [version, `${MIN_API_VERSION}.0`]);
  }
  return version;
}

function checkCallbackUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw messages.createError('error.InvalidCallbackUrl', [value]);
  }
  // Only https, or http to this machine (sf's own http://localhost:1717/OauthRedirect): javascript:, data:,
  // file: and every other scheme would be written into the app's metadata as a redirect target.
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw messages.createError('error.InvalidCallbackUrl', [value]);
  }
}

/** XML 1.0 cannot hold most control characters: refuse them rather than write a file that won't parse. */
function checkText(flag: string, value: string): void {
  // eslint-disable-next-line no-control-regex
  if (value.trim() === '' || /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(value)) {
    throw messages.createError('error.InvalidText', [flag]);
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
