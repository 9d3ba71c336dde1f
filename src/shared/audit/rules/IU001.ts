/** IU001: an integration-license user without the Salesforce API Integration PSL. */
import { API_INTEGRATION_PSL } from '../../constants.js';
import { sameId } from '../../model/ids.js';
import { activeUsers, findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';

const id = 'IU001';

export const rule: AuditRule = {
  id,
  name: 'missing-api-integration-psl',
  defaultSeverity: 'high',
  needs: ['licenses', 'pslAssignments'],
  permissionFields: [],
  messageKeys: [`${id}.message`],
  check(data) {
    const psl = data.licenses.apiIntegrationPsl;
    return activeUsers(data)
      .filter((u) => u.isIntegrationLicense && !(psl && u.pslIds.some((p) => sameId(p, psl.id))))
      .map((u) =>
        findingOf(rule, u.username, API_INTEGRATION_PSL.developerName, 'high', messages.getMessage(`${id}.message`, [u.username]), {
          permissionSetLicense: API_INTEGRATION_PSL.developerName,
          pslInOrg: psl !== undefined,
        })
      );
  },
};
