/** From the rule engine's raw run to the audit's result: configuration, allowances, baseline, --fail-on. */
import { EXIT_CODES } from '../exitCodes.js';
import { createBaseline, type Baseline, type BaselineEntry } from './baseline.js';
import type { Allowance, AuditConfig } from './config.js';
import { atLeast, compareFindings, SEVERITIES, type AuditRun, type Finding, type RuleNotEvaluated, type Severity } from './types.js';

export const FAIL_ON = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export type AuditSummary = {
  usersExamined: number;
  /** The usernames examined, sorted. */
  users: string[];
  /** Findings reported (after configuration, allowances and baseline). */
  findings: number;
  bySeverity: Record<Severity, number>;
  /** Findings suppressed by the baseline. */
  suppressed: number;
  /** Findings suppressed by the configuration's allowances. */
  allowed: number;
  /** Baseline entries that match no current finding: fixed, so they can be removed from the baseline. */
  staleBaselineEntries: BaselineEntry[];
  failOn: FailOn;
  /** True when the exit code is 0: nothing at or above --fail-on and every rule evaluated. */
  passed: boolean;
  /** 0, 3 (findings at or above --fail-on) or 68 (some rules not evaluated). */
  exitCode: number;
};

export type AuditResult = {
  summary: AuditSummary;
  findings: Finding[];
  rulesNotEvaluated: RuleNotEvaluated[];
  seats: AuditRun['seats'];
};

export type PolicyOptions = {
  config: AuditConfig;
  baseline?: Baseline;
  failOn: FailOn;
  /**
   * The --user scope (if any): findings of other users and org-level findings (seats) are dropped, and
   * baseline entries of other users are not reported stale.
   */
  users?: readonly string[];
};

/**
 * The exit code of an audit: 3 when a finding reaches `failOn` (never with `none`); else 68 when some rules
 * could not be evaluated (a partial audit is never a silent pass); else 0.
 */
export function auditExitCode(
  result: { findings: ReadonlyArray<Pick<Finding, 'severity'>>; rulesNotEvaluated: readonly unknown[] },
  failOn: FailOn
): number {
  if (failOn !== 'none' && result.findings.some((f) => atLeast(f.severity, failOn))) return EXIT_CODES.auditFindings;
  if (result.rulesNotEvaluated.length > 0) return EXIT_CODES.partialSuccess;
  return EXIT_CODES.success;
}

function evidenceValues(finding: Finding, key: string): string[] {
  const value = finding.evidence[key];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value;
  return [];
}

/** True when `allowance` accepts `finding` (see Allowance). */
export function allows(allowance: Allowance, finding: Finding): boolean {
  const userMatches =
    allowance.user === '*' || (finding.user !== null && finding.user.toLowerCase() === allowance.user.toLowerCase());
  if (!userMatches) return false;
  if (allowance.rules && !allowance.rules.includes(finding.ruleId)) return false;
  if (allowance.permissions) {
    const subjects = [...evidenceValues(finding, 'permission'), ...evidenceValues(finding, 'permissionSet')].map((s) =>
      s.toLowerCase()
    );
    if (!allowance.permissions.some((p) => subjects.includes(p.toLowerCase()))) return false;
  }
  return true;
}

function examinedUsers(run: AuditRun): string[] {
  const names = run.usernames ?? run.findings.flatMap((f) => (f.user === null ? [] : [f.user]));
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/** Applies rule switches, severity overrides, allowances, the baseline and --fail-on to a run. */
export function applyPolicy(run: AuditRun, options: PolicyOptions): AuditResult {
  const { config, baseline, failOn } = options;
  const enabled = (ruleId: string): boolean => config.rules[ruleId]?.enabled !== false;

  const scope = options.users?.length ? new Set(options.users.map((u) => u.toLowerCase())) : undefined;
  const inScope = (user: string | null): boolean => scope === undefined || (user !== null && scope.has(user.toLowerCase()));
  const current = run.findings
    .filter((f) => enabled(f.ruleId) && inScope(f.user))
    .map((f) => {
      const severity = config.rules[f.ruleId]?.severity;
      return severity ? { ...f, severity } : { ...f };
    });
  const rulesNotEvaluated = run.rulesNotEvaluated.filter((r) => enabled(r.ruleId));

  const afterAllow = current.filter((f) => !config.allow.some((a) => allows(a, f)));
  const allowed = current.length - afterAllow.length;

  const accepted = new Set((baseline?.findings ?? []).map((e) => e.fingerprint));
  const findings = afterAllow.filter((f) => !accepted.has(f.fingerprint)).sort(compareFindings);
  const suppressed = afterAllow.length - findings.length;

  const currentFingerprints = new Set(current.map((f) => f.fingerprint));
  const notEvaluated = new Set(rulesNotEvaluated.map((r) => r.ruleId));
  const staleBaselineEntries = (baseline?.findings ?? []).filter(
    (e) =>
      !currentFingerprints.has(e.fingerprint) &&
      !notEvaluated.has(e.ruleId) &&
      enabled(e.ruleId) &&
      inScope(e.user)
  );

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity]++;
  const exitCode = auditExitCode({ findings, rulesNotEvaluated }, failOn);

  return {
    summary: {
      usersExamined: run.usersExamined,
      users: examinedUsers(run),
      findings: findings.length,
      bySeverity,
      suppressed,
      allowed,
      staleBaselineEntries,
      failOn,
      passed: exitCode === EXIT_CODES.success,
      exitCode,
    },
    findings,
    rulesNotEvaluated,
    seats: run.seats,
  };
}

/**
 * `--write-baseline`: accepts every current finding (after configuration and allowances; notes of
 * `options.baseline` are kept) and returns the new baseline with the result of applying it.
 */
export function acceptAll(run: AuditRun, options: PolicyOptions, now: Date = new Date()): { baseline: Baseline; result: AuditResult } {
  const current = applyPolicy(run, { ...options, baseline: undefined });
  const baseline = createBaseline(current.findings, now, options.baseline);
  return { baseline, result: applyPolicy(run, { ...options, baseline }) };
}
