/** IU004: high-risk system permissions, one finding per (user, permission, source). */
import { grantsPermission, sourcesOf, type AuditData } from '../model.js';
import { activeUsers, findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';
import type { EvidenceValue, Finding, Severity } from '../types.js';

const id = 'IU004';

/**
 * The system permissions (PermissionSet field name without the `Permissions` prefix) flagged on
 * integration users, and the severity of each (README, audit "Rules" table). Critical: administers the org, its
 * users or its code, or changes all data. High: reads all data or users, manages access or security
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

export const rule: AuditRule = {
  id,
  name: 'high-risk-system-permission',
  defaultSeverity: 'critical',
  needs: ['permissionSets', 'groupComponents', 'assignments'],
  permissionFields: Object.keys(HIGH_RISK_PERMISSIONS),
  messageKeys: [`${id}.message`],
  check(data: AuditData): Finding[] {
    const findings: Finding[] = [];
    for (const user of activeUsers(data)) {
      for (const source of sourcesOf(user, data)) {
        for (const [permission, severity] of Object.entries(HIGH_RISK_PERMISSIONS)) {
          const { granted, via } = grantsPermission(source, permission, data.permissionSets);
          if (!granted) continue;
          const evidence: Record<string, EvidenceValue> = { permission, source: source.name, sourceType: source.sourceType };
          if (via.length > 0) evidence.via = via;
          findings.push(
            findingOf(
              rule,
              user.username,
              `${permission}|${source.sourceType}:${source.name}`,
              severity,
              messages.getMessage(`${id}.message`, [user.username, permission, source.sourceType, source.name]),
              evidence
            )
          );
        }
      }
    }
    return findings;
  },
};
