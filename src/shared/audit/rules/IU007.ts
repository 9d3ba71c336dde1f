/** IU007: a permission set or group the integration user shares with active human users. */
import { INTEGRATION_USER_LICENSE } from '../../constants.js';
import { sameId } from '../../model/ids.js';
import { activeUsers, findingOf, MAX_NAMES_IN_EVIDENCE, ruleMessages as messages, type AuditRule } from '../rule.js';
import type { Finding } from '../types.js';

const id = 'IU007';

export const rule: AuditRule = {
  id,
  name: 'shared-permission-assignment',
  defaultSeverity: 'medium',
  needs: ['licenses', 'permissionSets', 'assignments'],
  permissionFields: [],
  messageKeys: [`${id}.message`, `${id}.messageOne`],
  check(data) {
    const findings: Finding[] = [];
    const isBasic = (setId: string): boolean => {
      const licenseId = data.permissionSets.get(setId)?.licenseId;
      const target = licenseId ? data.licenses.byId(licenseId) : undefined;
      if (!target) return false;
      const psl = data.licenses.apiIntegrationPsl;
      return target.kind === 'psl' ? psl !== undefined && sameId(target.license.id, psl.id) : target.license.name === INTEGRATION_USER_LICENSE;
    };
    for (const user of activeUsers(data)) {
      const grants = [
        ...user.setIds.filter((s) => !isBasic(s)).map((s) => ({ id: s, type: 'PermissionSet', name: data.permissionSets.get(s)?.name ?? s })),
        ...user.groupIds.map((g) => ({ id: g, type: 'PermissionSetGroup', name: data.groups.get(g)?.name ?? g })),
      ];
      for (const grant of grants) {
        const humans = data.humanHolders.get(grant.id) ?? [];
        if (humans.length === 0) continue;
        const sample = [...humans].sort().slice(0, MAX_NAMES_IN_EVIDENCE);
        findings.push(
          findingOf(
            rule,
            user.username,
            `${grant.type}:${grant.name}`,
            'medium',
            humans.length === 1
              ? messages.getMessage(`${id}.messageOne`, [user.username, grant.type, grant.name, sample.join(', ')])
              : messages.getMessage(`${id}.message`, [user.username, grant.type, grant.name, humans.length, sample.join(', ')]),
            { grant: grant.name, grantType: grant.type, humanCount: humans.length, humans: sample }
          )
        );
      }
    }
    return findings;
  },
};
