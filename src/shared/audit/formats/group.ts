/**
 * How the human formats (text, Markdown) present findings: by user (in the order of each user's worst
 * finding, org-level findings last), and within a user the findings of one rule through one source (the
 * same permission set, group or profile) as one entry with one fix. The fix's placeholders are filled
 * with the names the finding knows (`<user>`, `<psl>`, `<set>` …); a placeholder for something that does
 * not exist yet (a new dedicated set, say) stays as it is. The machine formats (JSON, SARIF, JUnit) keep
 * one result per finding.
 */
import type { EvidenceValue, Finding, Severity } from '../types.js';

export type FindingEntry = {
  ruleId: string;
  /** The highest severity of the entry's findings. */
  severity: Severity;
  /** One per finding, without the username the block is titled with. */
  messages: string[];
  /** The fix, once, with the placeholders filled in. */
  remediation: string;
  findings: Finding[];
};

export type UserFindings = { user: string | null; findings: Finding[]; entries: FindingEntry[] };

/** Findings grouped by user, then by rule and source (the input's order is kept: it is severity order). */
export function groupFindings(findings: readonly Finding[]): UserFindings[] {
  const ordered = [...findings.filter((f) => f.user !== null), ...findings.filter((f) => f.user === null)];
  const users = new Map<string | null, UserFindings>();
  for (const finding of ordered) {
    let user = users.get(finding.user);
    if (!user) {
      user = { user: finding.user, findings: [], entries: [] };
      users.set(finding.user, user);
    }
    user.findings.push(finding);
    const remediation = fillPlaceholders(finding.remediation, finding);
    const source = sourceOf(finding);
    const entry = source === undefined ? undefined : user.entries.find((e) => e.ruleId === finding.ruleId && sourceOf(e.findings[0]) === source && e.remediation === remediation);
    const message = withoutUser(finding.message, finding.user);
    if (entry) {
      entry.messages.push(message);
      entry.findings.push(finding);
    } else {
      user.entries.push({ ruleId: finding.ruleId, severity: finding.severity, messages: [message], remediation, findings: [finding] });
    }
  }
  return [...users.values()];
}

/** The permission set, group or profile a finding comes through, when its evidence names one. */
function sourceOf(finding: Finding): string | undefined {
  const e = finding.evidence;
  const name = text(e.source) ?? text(e.permissionSet) ?? text(e.grant);
  if (name === undefined) return undefined;
  return `${text(e.sourceType) ?? text(e.grantType) ?? ''}:${name}`;
}

const text = (value: EvidenceValue | undefined): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** "billing@x has …" under the heading billing@x reads "has …". */
function withoutUser(message: string, user: string | null): string {
  return user && message.startsWith(`${user} `) ? message.slice(user.length + 1) : message;
}

/**
 * `<user>` → the finding's username, `<psl>` → the permission set license its evidence names, `<set>` →
 * the permission set it names (only where the evidence says which set the fix is about), `<app>` → the
 * app when there is exactly one. Unknown placeholders are left as they are.
 */
export function fillPlaceholders(remediation: string, finding: Pick<Finding, 'user' | 'evidence'>): string {
  const e = finding.evidence;
  const values: Record<string, string | undefined> = {
    user: finding.user ?? undefined,
    psl: text(e.permissionSetLicense) ?? (text(e.licenseType) === 'PermissionSetLicense' ? text(e.license) : undefined),
    set: text(e.fixPermissionSet),
    app: Array.isArray(e.apps) && e.apps.length === 1 ? e.apps[0] : text(e.app),
  };
  return remediation.replace(/<([a-z]+)>/g, (whole, name: string) => values[name] ?? whole);
}
