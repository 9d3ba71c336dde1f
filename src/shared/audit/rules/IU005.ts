/** IU005: View All / Modify All records on an object, per (user, object, source). */
import { sourcesOf } from '../model.js';
import { activeUsers, findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';
import type { Finding } from '../types.js';

const id = 'IU005';

export const rule: AuditRule = {
  id,
  name: 'object-view-modify-all',
  defaultSeverity: 'high',
  needs: ['permissionSets', 'groupComponents', 'objectAccess', 'assignments'],
  permissionFields: [],
  messageKeys: [`${id}.message`],
  check(data) {
    const findings: Finding[] = [];
    for (const user of activeUsers(data)) {
      for (const source of sourcesOf(user, data)) {
        const byObject = new Map<string, { viewAll: boolean; modifyAll: boolean }>();
        const setIds = source.sourceType === 'PermissionSetGroup' && source.setIds.length === 0 ? source.componentSetIds : source.setIds;
        for (const setId of setIds) {
          for (const access of data.objectAccess.get(setId) ?? []) {
            const seen = byObject.get(access.object) ?? { viewAll: false, modifyAll: false };
            byObject.set(access.object, { viewAll: seen.viewAll || access.viewAll, modifyAll: seen.modifyAll || access.modifyAll });
          }
        }
        for (const [object, access] of [...byObject.entries()].sort(([a], [b]) => a.localeCompare(b))) {
          const level = access.modifyAll ? 'Modify All' : 'View All';
          findings.push(
            findingOf(
              rule,
              user.username,
              `${object}|${source.sourceType}:${source.name}`,
              access.modifyAll ? 'high' : 'medium',
              messages.getMessage(`${id}.message`, [user.username, level, object, source.sourceType, source.name]),
              { object, access: level, source: source.name, sourceType: source.sourceType }
            )
          );
        }
      }
    }
    return findings;
  },
};
