/** The audit's vocabulary, shared by the rule engine (collect + rules) and the outputs (command, formats, baseline). */
import { createHash } from 'node:crypto';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** True when `severity` is at or above `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

export type RuleDefinition = {
  /** Stable id (IU followed by three digits); never reused or renumbered. */
  id: string;
  /** Short kebab-case name, e.g. `missing-api-integration-psl`. */
  name: string;
  defaultSeverity: Severity;
  /** One line: why it matters. */
  rationale: string;
  /** What to do; names the sf command that fixes it where one exists. */
  remediation: string;
};

export type EvidenceValue = string | number | boolean | null | string[];

export type Finding = {
  ruleId: string;
  severity: Severity;
  /** Username; null for org-level findings (seats) and project files. */
  user: string | null;
  message: string;
  remediation: string;
  evidence: Record<string, EvidenceValue>;
  /** Stable across runs for the same problem: see fingerprintOf. */
  fingerprint: string;
};

export type RuleNotEvaluated = {
  ruleId: string;
  /** Why it could not be evaluated, e.g. the platform error. */
  reason: string;
  /** The permission the running user needs for it. */
  requiredPermission: string;
};

export type SeatUsage = { name: string; total: number; used: number; available: number } | null;

/** What the rule engine produces, before configuration, allowances and baseline are applied. */
export type AuditRun = {
  usersExamined: number;
  /** Usernames examined (JUnit reports a passing test case per rule × user); optional, additive. */
  usernames?: string[];
  findings: Finding[];
  rulesNotEvaluated: RuleNotEvaluated[];
  seats: { integrationUserLicense: SeatUsage; apiIntegrationPsl: SeatUsage };
  /** Usernames the baseline or configuration names that the org does not have (warned). */
  unknownUsernames?: string[];
};

/** Findings order: severity (highest first), then user (org-level first), rule, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
    (a.user ?? '').localeCompare(b.user ?? '') ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

/**
 * A finding's fingerprint: the rule, the user and the finding's subject (e.g. the permission and the set
 * that grants it), hashed. Messages and severities may change without changing it.
 */
export function fingerprintOf(ruleId: string, user: string | null, subject: string): string {
  return createHash('sha256')
    .update([ruleId, (user ?? '').toLowerCase(), subject].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
