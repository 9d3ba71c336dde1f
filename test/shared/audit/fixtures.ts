/** A hand-made rule engine run for the audit output tests (the engine itself is tested elsewhere). */
import { fingerprintOf, type AuditRun, type Finding, type RuleDefinition, type Severity } from '../../../src/shared/audit/types.js';

export const TEST_RULES: RuleDefinition[] = [
  { id: 'IU001', name: 'missing-api-integration-psl', defaultSeverity: 'high', rationale: 'Needs the PSL.', remediation: 'Assign the PSL.' },
  { id: 'IU003', name: 'integration-on-full-license', defaultSeverity: 'medium', rationale: 'Wastes a full license.', remediation: 'Move to the integration license.' },
  { id: 'IU004', name: 'high-risk-system-permission', defaultSeverity: 'high', rationale: 'Too much power.', remediation: 'Remove the permission.' },
  { id: 'IU010', name: 'dormant-integration-user', defaultSeverity: 'low', rationale: 'Unused.', remediation: 'Deactivate it.' },
  { id: 'IU012', name: 'integration-seats-near-limit', defaultSeverity: 'info', rationale: 'Seats run out.', remediation: 'Buy seats.' },
  { id: 'IU013', name: 'eca-run-as-user-invalid', defaultSeverity: 'high', rationale: 'Broken ECA.', remediation: 'Fix the run-as user.' },
];

export const TEST_RULE_IDS = TEST_RULES.map((r) => r.id);

export function finding(
  ruleId: string,
  severity: Severity,
  user: string | null,
  subject: string,
  evidence: Finding['evidence'] = {},
  message = `${ruleId} on ${user ?? 'org'}`
): Finding {
  return {
    ruleId,
    severity,
    user,
    message,
    remediation: `Fix ${ruleId}`,
    evidence,
    fingerprint: fingerprintOf(ruleId, user, subject),
  };
}

export const ERP = 'erp.integration@acme.example.com';
export const WAREHOUSE = 'warehouse.sync@acme.example.com';
export const BILLING = 'billing.sync@acme.example.com';

/** erp: critical ModifyAllData + medium full license; warehouse: high missing PSL + low dormant; org: info seats. */
export function sampleRun(): AuditRun {
  return {
    usersExamined: 3,
    usernames: [WAREHOUSE, ERP, BILLING],
    findings: [
      finding('IU004', 'critical', ERP, 'ModifyAllData|ERP_Admin', { permission: 'ModifyAllData', permissionSet: 'ERP_Admin' }),
      finding('IU004', 'high', ERP, 'ViewSetup|ERP_Admin', { permission: 'ViewSetup', permissionSet: 'ERP_Admin' }),
      finding('IU003', 'medium', ERP, 'license', { license: 'Salesforce' }),
      finding('IU001', 'high', WAREHOUSE, 'psl'),
      finding('IU010', 'low', WAREHOUSE, 'dormant', { lastLoginDays: 200 }),
      finding('IU012', 'info', null, 'seats', { used: 5, total: 5 }),
    ],
    rulesNotEvaluated: [],
    seats: {
      integrationUserLicense: { name: 'Salesforce Integration', total: 5, used: 5, available: 0 },
      apiIntegrationPsl: { name: 'Salesforce API Integration', total: 5, used: 4, available: 1 },
    },
  };
}
