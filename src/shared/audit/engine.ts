/**
 * The audit's rule engine: collects the org's data once (collect.ts), runs every rule's pure check over it
 * (rules/*.ts) and returns the findings sorted (severity, user, rule) with the rules it could not evaluate.
 */
import type { OrgConnection } from '../api.js';
import { specDriftData, type SpecDriftData } from '../spec/drift.js';
import type { ResolvedSpec } from '../spec/types.js';
import { collectAuditData } from './collect.js';
import type { AuditData } from './model.js';
import type { CheckOptions } from './rule.js';
import { AUDIT_RULES } from './rules/index.js';
import { rule as specRule } from './rules/IU014.js';
import { compareFindings, type AuditRun } from './types.js';

export type AuditOptions = {
  /** Only these users (case-insensitive); org-level rules still run. Each must exist in the org. */
  usernames?: string[];
  dormantDays: number;
  seatThresholdPercent: number;
  /** An sfdx project to check External Client App policy files in (IU013). */
  projectDir?: string;
  /** Usernames the baseline or configuration names: the ones the org lacks come back in `unknownUsernames`. */
  referencedUsernames?: string[];
  /** `--spec`: the integrations spec whose drift IU014 reports (read concurrently with the audit's own reads). */
  spec?: ResolvedSpec;
  now?: Date;
};

export async function runAuditRules(conn: OrgConnection, options: AuditOptions): Promise<AuditRun> {
  const [collected, spec] = await Promise.all([
    collectAuditData(conn, {
      usernames: options.usernames,
      dormantDays: options.dormantDays,
      projectDir: options.projectDir,
      referencedUsernames: options.referencedUsernames,
      now: options.now ?? new Date(),
    }),
    options.spec ? specDriftData(conn, options.spec).catch((e: Error) => e) : undefined,
  ]);
  return evaluate(withSpec(collected, spec), options);
}

/** The spec rule's input: the spec's drift, or — when the spec could not be planned — the rule not evaluated, with why. */
function withSpec(data: AuditData, spec: SpecDriftData | Error | undefined): AuditData {
  if (spec === undefined) return data;
  if (spec instanceof Error) {
    return {
      ...data,
      notEvaluated: [...data.notEvaluated, { ruleId: specRule.id, reason: spec.message, requiredPermission: '' }],
      skipped: new Set([...data.skipped, specRule.id]),
    };
  }
  return { ...data, spec };
}

/** Runs every rule that can be evaluated over collected data: no I/O. */
export function evaluate(data: AuditData, options: CheckOptions): AuditRun {
  const findings = AUDIT_RULES.filter((rule) => !data.skipped.has(rule.id)).flatMap((rule) => rule.check(data, options));
  const seat = (license: { label: string; seats: { total: number; used: number; available: number } } | undefined): AuditRun['seats']['apiIntegrationPsl'] =>
    license ? { name: license.label, ...license.seats } : null;
  return {
    usersExamined: data.users.length,
    usernames: data.users.map((u) => u.username),
    findings: [...findings].sort(compareFindings),
    rulesNotEvaluated: oneEntryPerRule(data.notEvaluated),
    seats: { integrationUserLicense: seat(data.licenses.integrationLicense), apiIntegrationPsl: seat(data.licenses.apiIntegrationPsl) },
    ...(data.unknownUsernames.length > 0 ? { unknownUsernames: data.unknownUsernames } : {}),
  };
}

/** One entry per rule (reasons joined), in rule order: one warning per rule, never one per cause. */
function oneEntryPerRule(list: AuditData['notEvaluated']): AuditRun['rulesNotEvaluated'] {
  const byRule = new Map<string, { reasons: string[]; permissions: string[] }>();
  for (const n of list) {
    const entry = byRule.get(n.ruleId) ?? { reasons: [], permissions: [] };
    if (!entry.reasons.includes(n.reason)) entry.reasons.push(n.reason);
    if (n.requiredPermission && !entry.permissions.includes(n.requiredPermission)) entry.permissions.push(n.requiredPermission);
    byRule.set(n.ruleId, entry);
  }
  return [...byRule]
    .map(([ruleId, e]) => ({ ruleId, reason: e.reasons.join(' '), requiredPermission: e.permissions.join('; ') }))
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}
