/**
 * JUnit XML: one <testsuite> per rule, one <testcase classname="<ruleId>" name="<user>"> per rule × examined
 * user (and `org` for org-level findings). A finding is a <failure type="<severity>">; a rule that could not
 * be evaluated has its test cases <skipped>.
 */
import { xmlLibrary } from '../../xml.js';
import type { AuditResult } from '../policy.js';
import type { Finding } from '../types.js';
import { stripControl, type ReportContext } from './context.js';
import { fillPlaceholders } from './group.js';
import { notEvaluatedReason } from './notEvaluated.js';

export const ORG_TESTCASE = 'org';

type XmlNode = Record<string, unknown>;

function failureNode(findings: Finding[]): XmlNode {
  const worst = findings[0];
  const text = findings
    .map((f) => `[${f.severity}] ${f.message}\nFix: ${fillPlaceholders(f.remediation, f)}\nFingerprint: ${f.fingerprint}`)
    .join('\n\n');
  return { '@_type': worst.severity, '@_message': stripControl(worst.message), '#text': stripControl(text) };
}

export function formatJunit(result: AuditResult, context: ReportContext): string {
  return junitDocument(context, junitSuites(result, context));
}

export type JunitSuites = { suites: XmlNode[]; total: number; failures: number; skipped: number };

/** One result's suites; `prefix` (a fleet audit's environment) starts each suite name and test class. */
export function junitSuites(result: AuditResult, context: ReportContext, prefix = ''): JunitSuites {
  const users = [...new Set([...result.summary.users, ...result.findings.flatMap((f) => (f.user ? [f.user] : []))])].sort(
    (a, b) => a.localeCompare(b)
  );
  const notEvaluated = new Map(result.rulesNotEvaluated.map((r) => [r.ruleId, r]));
  const ruleIds = [...context.rules.map((r) => r.id)];
  for (const f of result.findings) if (!ruleIds.includes(f.ruleId)) ruleIds.push(f.ruleId);

  let total = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  const suites = ruleIds.map((ruleId) => {
    const rule = context.rules.find((r) => r.id === ruleId);
    const ruleFindings = result.findings.filter((f) => f.ruleId === ruleId);
    const names = ruleFindings.some((f) => f.user === null) ? [...users, ORG_TESTCASE] : users;
    const skip = notEvaluated.get(ruleId);
    let failures = 0;
    let skipped = 0;
    const testcases = names.map((name) => {
      const own = ruleFindings.filter((f) => (name === ORG_TESTCASE ? f.user === null : f.user === name));
      const testcase: XmlNode = { '@_classname': `${prefix}${ruleId}`, '@_name': name, '@_time': '0' };
      if (own.length > 0) {
        failures++;
        testcase.failure = failureNode(own);
      } else if (skip) {
        skipped++;
        testcase.skipped = { '@_message': stripControl(notEvaluatedReason(skip)) };
      }
      return testcase;
    });
    total += testcases.length;
    totalFailures += failures;
    totalSkipped += skipped;
    return {
      '@_name': `${prefix}${rule ? `${ruleId} ${rule.name}` : ruleId}`,
      '@_tests': String(testcases.length),
      '@_failures': String(failures),
      '@_errors': '0',
      '@_skipped': String(skipped),
      '@_time': '0',
      testcase: testcases,
    };
  });
  return { suites, total, failures: totalFailures, skipped: totalSkipped };
}

export function junitDocument(context: ReportContext, { suites, total, failures: totalFailures, skipped: totalSkipped }: JunitSuites): string {
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': `${context.toolName} audit`,
      '@_tests': String(total),
      '@_failures': String(totalFailures),
      '@_errors': '0',
      '@_skipped': String(totalSkipped),
      '@_time': '0',
      testsuite: suites,
    },
  };
  const builder = new (xmlLibrary().XMLBuilder)({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    suppressEmptyNode: true,
  });
  return builder.build(doc);
}
