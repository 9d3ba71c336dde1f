/**
 * The shape of one audit rule: each rule is one module under rules/ that declares its id, name, default
 * severity, the reads it needs (reads.ts says which running-user rights each read takes), the
 * PermissionSet permission fields it reads, its check and its message keys. The collector derives from
 * these declarations which rules cannot be evaluated; nothing else names a rule.
 */
import { Messages } from '@salesforce/core';
import type { AuditData } from './model.js';
import type { ReadName } from './reads.js';
import { fingerprintOf, type EvidenceValue, type Finding, type RuleDefinition, type Severity } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
/** Every rule's text: `<id>.rationale`, `<id>.remediation` and the keys the rule lists in `messageKeys`. */
export const ruleMessages = Messages.loadMessages('plugin-integration-user', 'audit');

export type CheckOptions = { dormantDays: number; seatThresholdPercent: number };

export type AuditRule = {
  /** Stable id (IU followed by three digits); never reused or renumbered. */
  id: string;
  /** Short kebab-case name. */
  name: string;
  defaultSeverity: Severity;
  /** Reads without which the rule cannot be judged: one that can't be made marks the rule "not evaluated". */
  needs: readonly ReadName[];
  /**
   * PermissionSet system permissions the rule reads (field name without `Permissions`). One the org
   * doesn't have can't be held, so it is simply not checked; one that exists but can't be read marks the
   * rule "not evaluated".
   */
  permissionFields: readonly string[];
  /** Message keys of messages/audit.md the check uses, besides `<id>.rationale` and `<id>.remediation`. */
  messageKeys: readonly string[];
  check(data: AuditData, options: CheckOptions): Finding[];
};

/** The rule's public description (`--list-rules`, SARIF, JUnit). */
export function definitionOf(rule: AuditRule): RuleDefinition {
  return {
    id: rule.id,
    name: rule.name,
    defaultSeverity: rule.defaultSeverity,
    rationale: ruleMessages.getMessage(`${rule.id}.rationale`),
    remediation: ruleMessages.getMessage(`${rule.id}.remediation`),
  };
}

/** A finding of `rule`, fingerprinted by rule, user and the problem's stable subject. */
export function findingOf(
  rule: Pick<AuditRule, 'id'>,
  user: string | null,
  subject: string,
  severity: Severity,
  message: string,
  evidence: Record<string, EvidenceValue>
): Finding {
  return {
    ruleId: rule.id,
    severity,
    user,
    message,
    remediation: ruleMessages.getMessage(`${rule.id}.remediation`),
    evidence,
    fingerprint: fingerprintOf(rule.id, user, subject),
  };
}

/** The active users examined. */
export const activeUsers = (data: AuditData): AuditData['users'] => data.users.filter((u) => u.isActive);

/** At most this many names in a finding's evidence. */
export const MAX_NAMES_IN_EVIDENCE = 10;
