/**
 * Fleet audit (`audit --spec FILE --env A --env B …`): one audit per environment of the spec, each against
 * its own org, combined into one result. Every report keeps each environment's results apart: JSON has an
 * `environments` list, SARIF one run per environment (automationDetails.id names it), JUnit one suite per
 * environment and rule, text and markdown one section per environment. The exit code is the worst one.
 */
import { EXIT_CODES } from '../exitCodes.js';
import type { AuditResult } from './policy.js';
import { SEVERITIES } from './types.js';
import type { ReportContext } from './formats/context.js';
import { formatSarif } from './formats/sarif.js';
import { formatMarkdown } from './formats/markdown.js';
import { junitDocument, junitSuites } from './formats/junit.js';
import { textReport } from './formats/text.js';
import type { OutputFormat } from './outputs.js';

/** One environment's audit: its name, the org it read, and its result as a single-org audit reports it. */
export type EnvironmentAuditResult = AuditResult & { environment: string; targetOrg: string };

/** Every environment's audit; the top-level fields add them up (findings of all environments, worst exit code). */
export type FleetAuditResult = AuditResult & { environments: EnvironmentAuditResult[] };

/** The worst exit code: findings (3) over a partial audit (68) over a pass (0). */
export function worstExitCode(codes: readonly number[]): number {
  if (codes.includes(EXIT_CODES.auditFindings)) return EXIT_CODES.auditFindings;
  if (codes.includes(EXIT_CODES.partialSuccess)) return EXIT_CODES.partialSuccess;
  return codes.find((c) => c !== EXIT_CODES.success) ?? EXIT_CODES.success;
}

export function combineEnvironments(environments: EnvironmentAuditResult[]): FleetAuditResult {
  const first = environments[0];
  const sum = (pick: (r: AuditResult) => number): number => environments.reduce((n, r) => n + pick(r), 0);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, sum((r) => r.summary.bySeverity[s])])) as AuditResult['summary']['bySeverity'];
  const users = [...new Set(environments.flatMap((r) => r.summary.users))].sort((a, b) => a.localeCompare(b));
  return {
    summary: {
      usersExamined: sum((r) => r.summary.usersExamined),
      users,
      findings: sum((r) => r.summary.findings),
      bySeverity,
      suppressed: sum((r) => r.summary.suppressed),
      allowed: sum((r) => r.summary.allowed),
      staleBaselineEntries: environments.flatMap((r) => r.summary.staleBaselineEntries),
      failOn: first.summary.failOn,
      passed: environments.every((r) => r.summary.passed),
      exitCode: worstExitCode(environments.map((r) => r.summary.exitCode)),
    },
    findings: environments.flatMap((r) => r.findings),
    rulesNotEvaluated: environments.flatMap((r) => r.rulesNotEvaluated),
    // Seats are per org: each environment's own are in `environments`.
    seats: first.seats,
    environments,
  };
}

/** The title of an environment's section in the human reports. */
export function environmentTitle(r: EnvironmentAuditResult): string {
  return `Environment ${r.environment} (${r.targetOrg})`;
}

export function renderFleetReport(result: FleetAuditResult, format: OutputFormat, context: ReportContext): string {
  switch (format) {
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    case 'sarif': {
      const logs = result.environments.map((r) => {
        const log = JSON.parse(formatSarif(r, context)) as { $schema: string; version: string; runs: Array<Record<string, unknown>> };
        const run = log.runs[0];
        return { log, run: { ...run, automationDetails: { id: `${context.toolName}/audit/${r.environment}/` }, properties: { ...(run.properties as object), environment: r.environment, targetOrg: r.targetOrg } } };
      });
      return JSON.stringify({ $schema: logs[0].log.$schema, version: logs[0].log.version, runs: logs.map((l) => l.run) }, null, 2) + '\n';
    }
    case 'junit': {
      const parts = result.environments.map((r) => junitSuites(r, context, `${r.environment}: `));
      return junitDocument(context, {
        suites: parts.flatMap((p) => p.suites),
        total: parts.reduce((n, p) => n + p.total, 0),
        failures: parts.reduce((n, p) => n + p.failures, 0),
        skipped: parts.reduce((n, p) => n + p.skipped, 0),
      });
    }
    case 'markdown':
      return result.environments.map((r) => `## ${environmentTitle(r)}\n\n${formatMarkdown(r)}`).join('\n');
  }
}

/** The human output: one section per environment. */
export function fleetTextReport(result: FleetAuditResult, options: { ansi: boolean }): string[] {
  return result.environments.flatMap((r, i) => [...(i > 0 ? [''] : []), `=== ${environmentTitle(r)}`, ...textReport(r, options)]);
}
