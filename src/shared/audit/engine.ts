/**
 * The audit's rule engine: collects the org's data once (collect.ts), runs every rule's pure check over it
 * (checks.ts) and returns the findings sorted (severity, user, rule) with the rules it could not evaluate.
 */
import type { OrgConnection } from '../api.js';
import { CHECKS, type CheckOptions } from './checks.js';
import { collectAuditData } from './collect.js';
import type { AuditData } from './model.js';
import { SEVERITIES, type AuditRun, type Finding, type RuleNotEvaluated } from './types.js';

export type AuditOptions = {
  /** Only these users (case-insensitive); org-level rules still run. */
  usernames?: string[];
  dormantDays: number;
  seatThresholdPercent: number;
  /** An sfdx project to check External Client App policy files in (IU013). */
  projectDir?: string;
  now?: Date;
};

export async function runAuditRules(conn: OrgConnection, options: AuditOptions): Promise<AuditRun> {
  const data = await collectAuditData(conn, {
    usernames: options.usernames,
    dormantDays: options.dormantDays,
    projectDir: options.projectDir,
    now: options.now ?? new Date(),
  });
  return evaluate(data, options);
}

/** Runs every rule over collected data: no I/O. */
export function evaluate(data: AuditData, options: CheckOptions): AuditRun {
  const findings = Object.values(CHECKS).flatMap((check) => check(data, options));
  const seat = (license: { label: string; seats: { total: number; used: number; available: number } } | undefined): AuditRun['seats']['apiIntegrationPsl'] =>
    license ? { name: license.label, ...license.seats } : null;
  return {
    usersExamined: data.users.length,
    usernames: data.users.map((u) => u.username),
    findings: sortFindings(findings),
    rulesNotEvaluated: dedupeNotEvaluated(data.notEvaluated),
    seats: { integrationUserLicense: seat(data.licenses.integrationLicense), apiIntegrationPsl: seat(data.licenses.apiIntegrationPsl) },
  };
}

/** Severity (highest first), then user (org-level first), rule, fingerprint. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
      (a.user ?? '').localeCompare(b.user ?? '') ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.fingerprint.localeCompare(b.fingerprint)
  );
}

function dedupeNotEvaluated(list: RuleNotEvaluated[]): RuleNotEvaluated[] {
  const seen = new Set<string>();
  return list
    .filter((n) => {
      const key = `${n.ruleId}\u0000${n.reason}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}
