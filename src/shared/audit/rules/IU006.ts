/** IU006: a permission set whose license the user lacks (PSL) or cannot have (another user license). */
import { INTEGRATION_USER_LICENSE } from '../../constants.js';
import { licenseFit } from '../../licenses.js';
import { sameId } from '../../model/ids.js';
import { sourcesOf, type AuditData, type AuditUser, type Source } from '../model.js';
import { activeUsers, findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';
import type { EvidenceValue, Finding } from '../types.js';

const id = 'IU006';

export const rule: AuditRule = {
  id,
  name: 'permission-set-license-mismatch',
  defaultSeverity: 'high',
  needs: ['licenses', 'permissionSets', 'groupComponents', 'assignments', 'pslAssignments'],
  permissionFields: [],
  messageKeys: [`${id}.message`, `${id}.missingPsl`, `${id}.wrongLicense`],
  check(data) {
    const findings: Finding[] = [];
    for (const user of activeUsers(data)) {
      const held: Array<{ setId: string; group: Source | null }> = user.setIds.map((setId) => ({ setId, group: null }));
      for (const source of sourcesOf(user, data)) {
        if (source.sourceType === 'PermissionSetGroup') held.push(...source.componentSetIds.map((setId) => ({ setId, group: source })));
      }
      for (const { setId, group } of held) {
        const set = data.permissionSets.get(setId);
        if (!set?.licenseId) continue;
        const problem = licenseProblem(user, set.licenseId, data);
        if (!problem) continue;
        const subject = `${group ? `PermissionSetGroup:${group.name}|` : ''}PermissionSet:${set.name}`;
        const grantText = group ? `PermissionSetGroup "${group.name}" > PermissionSet` : 'PermissionSet';
        const evidence: Record<string, EvidenceValue> = {
          permissionSet: set.name,
          license: problem.license,
          licenseType: problem.kind,
          problem: problem.missingPsl ? 'missingPsl' : 'wrongLicense',
        };
        if (group) evidence.group = group.name;
        const why = messages.getMessage(problem.missingPsl ? `${id}.missingPsl` : `${id}.wrongLicense`);
        findings.push(
          findingOf(rule, user.username, subject, 'high', messages.getMessage(`${id}.message`, [user.username, grantText, set.name, problem.license, why]), evidence)
        );
      }
    }
    return findings;
  },
};

function licenseProblem(
  user: AuditUser,
  licenseId: string,
  data: AuditData
): { license: string; kind: 'PermissionSetLicense' | 'UserLicense'; missingPsl: boolean } | undefined {
  const fit = licenseFit(licenseId, user.isIntegrationLicense ? INTEGRATION_USER_LICENSE : user.userLicense, data.licenses);
  if (!fit.ok) return { license: fit.licenseName, kind: 'UserLicense', missingPsl: false };
  const psl = fit.requiresPsl;
  return !psl || user.pslIds.some((p) => sameId(p, psl.id))
    ? undefined
    : { license: psl.developerName, kind: 'PermissionSetLicense', missingPsl: true };
}
