/**
 * IU014: the org differs from the integrations spec (`audit --spec FILE`): a missing user, a missing or
 * extra grant, field or state drift, and integration users the spec does not list. Each finding carries
 * the spec file and line (SARIF: region.startLine). Without --spec the rule has nothing to judge.
 */
import type { AuditData } from '../model.js';
import { findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';
import type { Severity } from '../types.js';

const id = 'IU014';

const SEVERITY: Record<string, Severity> = {
  missingUser: 'medium',
  missingGrant: 'medium',
  extraGrant: 'high',
  fieldDrift: 'low',
  stateDrift: 'medium',
  expiryDrift: 'medium',
  unlistedUser: 'medium',
};

export const rule: AuditRule = {
  id,
  name: 'spec-drift',
  defaultSeverity: 'high',
  needs: [],
  permissionFields: [],
  messageKeys: Object.keys(SEVERITY).map((k) => `${id}.${k}`),
  check: (data: AuditData) => {
    const spec = data.spec;
    if (!spec) return [];
    const where = spec.environment ? `${spec.file} (${spec.environment})` : spec.file;
    const findings = spec.items.map((item) => {
      const tokens = tokensOf(item, where);
      const subject = `${spec.environment ?? ''}:${item.kind}:${item.type}:${item.name.toLowerCase()}`;
      return findingOf(rule, item.username, subject, SEVERITY[item.kind], messages.getMessage(`${id}.${item.kind}`, tokens), {
        file: spec.file,
        line: item.line,
        kind: item.kind,
        integration: item.integration,
        type: item.type,
        name: item.name,
        ...(item.from !== undefined ? { from: item.from } : {}),
        ...(item.to !== undefined ? { to: item.to } : {}),
        ...(item.reason ? { reason: item.reason } : {}),
        ...(spec.environment ? { environment: spec.environment } : {}),
      });
    });
    const listed = new Set(spec.usernames);
    for (const user of data.users) {
      if (!(user.isIntegrationLicense || user.isLegacyProfile) || listed.has(user.username.toLowerCase())) continue;
      findings.push(
        findingOf(rule, user.username, `${spec.environment ?? ''}:unlistedUser`, SEVERITY.unlistedUser, messages.getMessage(`${id}.unlistedUser`, [user.username, where]), {
          file: spec.file,
          line: 1,
          kind: 'unlistedUser',
          ...(spec.environment ? { environment: spec.environment } : {}),
        })
      );
    }
    return findings;
  },
};

function tokensOf(item: NonNullable<AuditData['spec']>['items'][number], where: string): Array<string | number> {
  const from = item.from ?? '—';
  const to = item.to ?? '—';
  switch (item.kind) {
    case 'missingUser':
      return [item.username, item.integration ?? '', where, item.line];
    case 'fieldDrift':
    case 'expiryDrift':
      return [item.username, item.name, from, to, where, item.line];
    case 'stateDrift':
      return [item.username, from, to, where, item.line];
    default:
      return [item.username, item.type, item.name, where, item.line];
  }
}
