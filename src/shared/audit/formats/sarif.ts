/**
 * SARIF 2.1.0 for code scanning. Findings are about org users, not source files: each result names the
 * user as a logical location and, because GitHub code scanning requires a physical location with a
 * repository-relative path, a stable pseudo-artifact: `integration-user-audit/users/<username>` for a user's
 * finding, `integration-user-audit/org` for an org-level one. A finding about a project file (IU013, the
 * External Client App's run-as user) points at that file instead.
 */
import type { AuditResult } from '../policy.js';
import type { Finding, Severity } from '../types.js';
import { stripControl, type ReportContext } from './context.js';
import { fillPlaceholders } from './group.js';
import { notEvaluatedText } from './notEvaluated.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_FINGERPRINT_KEY = 'integrationUserFinding/v1';
export const PSEUDO_ARTIFACT_ROOT = 'integration-user-audit';
/** Evidence keys that may hold a project file path (IU013). */
const FILE_EVIDENCE_KEYS = ['file', 'path', 'projectFile', 'filePath'];

type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    default:
      return 'note';
  }
}

/** GitHub's `security-severity` score for a severity (critical ≥ 9, high 7–8.9, medium 4–6.9, low < 4). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

function projectFile(finding: Finding): string | undefined {
  for (const key of FILE_EVIDENCE_KEYS) {
    const value = finding.evidence[key];
    if (typeof value === 'string' && value !== '') return value.replace(/\\/g, '/').replace(/^\.\//, '');
  }
  return undefined;
}

/** The repository-relative path a finding is attached to (see the module comment). */
export function artifactUri(finding: Finding): string {
  const file = projectFile(finding);
  if (file !== undefined) return encodeURI(file);
  return finding.user === null
    ? `${PSEUDO_ARTIFACT_ROOT}/org`
    : `${PSEUDO_ARTIFACT_ROOT}/users/${encodeURIComponent(finding.user).replace(/%40/g, '@')}`;
}

/** A finding about a line of a project file (IU014: the integrations spec's entry or grant): its region. */
function region(finding: Finding): { region?: { startLine: number } } {
  const line = finding.evidence.line;
  return projectFile(finding) !== undefined && typeof line === 'number' && line >= 1 ? { region: { startLine: line } } : {};
}

export function formatSarif(result: AuditResult, context: ReportContext): string {
  const ruleIndex = new Map(context.rules.map((r, i) => [r.id, i]));
  const rules = context.rules.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: stripControl(r.rationale) },
    fullDescription: { text: stripControl(r.rationale) },
    help: { text: stripControl(r.remediation) },
    defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
    properties: {
      severity: r.defaultSeverity,
      'security-severity': SECURITY_SEVERITY[r.defaultSeverity],
      tags: ['security', 'salesforce', 'integration-user'],
    },
  }));

  const results = result.findings.map((f) => {
    const index = ruleIndex.get(f.ruleId);
    return {
      ruleId: f.ruleId,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level: sarifLevel(f.severity),
      message: { text: stripControl(`${f.message} Fix: ${fillPlaceholders(f.remediation, f)}`) },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: artifactUri(f) }, ...region(f) },
          logicalLocations: [
            f.user === null ? { name: 'org', kind: 'organization' } : { name: f.user, kind: 'user' },
          ],
        },
      ],
      partialFingerprints: { [SARIF_FINGERPRINT_KEY]: f.fingerprint },
      properties: {
        severity: f.severity,
        'security-severity': SECURITY_SEVERITY[f.severity],
        user: f.user,
        evidence: f.evidence,
      },
    };
  });

  const notifications = result.rulesNotEvaluated.map((r) => {
    const index = ruleIndex.get(r.ruleId);
    return {
      level: 'warning' as const,
      message: { text: stripControl(notEvaluatedText(r)) },
      associatedRule: { id: r.ruleId, ...(index === undefined ? {} : { index }) },
      properties: { requiredPermission: r.requiredPermission },
    };
  });

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: context.toolName,
            version: context.toolVersion,
            semanticVersion: context.toolVersion,
            informationUri: context.informationUri,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            exitCode: result.summary.exitCode,
            toolExecutionNotifications: notifications,
          },
        ],
        results,
        properties: {
          summary: {
            usersExamined: result.summary.usersExamined,
            findings: result.summary.findings,
            suppressed: result.summary.suppressed,
            allowed: result.summary.allowed,
            failOn: result.summary.failOn,
          },
          seats: result.seats,
        },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
