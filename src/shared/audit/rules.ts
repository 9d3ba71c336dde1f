/**
 * The audit's rules: stable ids and names, default severities, why each matters and how to fix it.
 * The text lives in messages/audit.rules.md; the ids and names never change.
 */
import { Messages } from '@salesforce/core';
import type { RuleDefinition, Severity } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit.rules');

function rule(id: string, name: string, defaultSeverity: Severity): RuleDefinition {
  return {
    id,
    name,
    defaultSeverity,
    rationale: messages.getMessage(`${id}.rationale`),
    remediation: messages.getMessage(`${id}.remediation`),
  };
}

export const RULES: readonly RuleDefinition[] = Object.freeze([
  rule('IU001', 'missing-api-integration-psl', 'high'),
  rule('IU002', 'legacy-integration-profile', 'medium'),
  rule('IU003', 'integration-on-full-license', 'high'),
  rule('IU004', 'high-risk-system-permission', 'critical'),
  rule('IU005', 'object-view-modify-all', 'high'),
  rule('IU006', 'permission-set-license-mismatch', 'high'),
  rule('IU007', 'shared-permission-assignment', 'medium'),
  rule('IU008', 'multiple-oauth-clients', 'high'),
  rule('IU009', 'interactive-login', 'high'),
  rule('IU010', 'dormant-integration-user', 'medium'),
  rule('IU011', 'inactive-user-with-grants', 'low'),
  rule('IU012', 'integration-seats-near-limit', 'low'),
  rule('IU013', 'eca-run-as-user-invalid', 'high'),
]);

/** A rule by id; throws on an unknown id (a programming error). */
export function ruleById(id: string): RuleDefinition {
  const found = RULES.find((r) => r.id === id);
  if (!found) throw new Error(`unknown rule ${id}`);
  return found;
}

/**
 * IU004's table: the system permissions (PermissionSet field name without the `Permissions` prefix) flagged
 * on integration users, and the severity of each (salesforce-facts.md §9). Critical: administers the org,
 * its users or its code, or changes all data. High: reads all data or users, manages access or security
 * settings, or exports / hard-deletes in bulk. Medium: widens what the user sees or how it logs in.
 * `ApiEnabled` is not flagged (integrations need it); `ApiUserOnly` is what they should have.
 */
export const HIGH_RISK_PERMISSIONS: Readonly<Record<string, Severity>> = Object.freeze({
  ModifyAllData: 'critical',
  ManageUsers: 'critical',
  AuthorApex: 'critical',
  ModifyMetadata: 'critical',
  CustomizeApplication: 'critical',
  ViewAllData: 'high',
  ManageInternalUsers: 'high',
  ResetPasswords: 'high',
  ManageProfilesPermissionsets: 'high',
  AssignPermissionSets: 'high',
  ViewAllUsers: 'high',
  DataExport: 'high',
  BulkApiHardDelete: 'high',
  ManageSharing: 'high',
  ManageRoles: 'high',
  ManageEncryptionKeys: 'high',
  ManageAuthProviders: 'high',
  ManageConnectedApps: 'high',
  ManagePasswordPolicies: 'high',
  ManageIpAddresses: 'high',
  ManageLoginAccessPolicies: 'high',
  ManageSandboxes: 'high',
  ManageDataIntegrations: 'medium',
  EditReadonlyFields: 'medium',
  PasswordNeverExpires: 'medium',
  ViewSetup: 'medium',
});
