/** IU012: Salesforce Integration license / API Integration PSL seats at or above the threshold (org-level). */
import { API_INTEGRATION_PSL, INTEGRATION_USER_LICENSE } from '../../constants.js';
import { findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';

const id = 'IU012';

export const rule: AuditRule = {
  id,
  name: 'integration-seats-near-limit',
  defaultSeverity: 'low',
  needs: ['licenses'],
  permissionFields: [],
  messageKeys: [`${id}.message`],
  check(data, options) {
    const pools = [
      { subject: `UserLicense:${INTEGRATION_USER_LICENSE}`, name: INTEGRATION_USER_LICENSE, seats: data.licenses.integrationLicense?.seats },
      { subject: `PermissionSetLicense:${API_INTEGRATION_PSL.developerName}`, name: API_INTEGRATION_PSL.label, seats: data.licenses.apiIntegrationPsl?.seats },
    ];
    return pools.flatMap(({ subject, name, seats }) => {
      if (!seats || seats.total <= 0) return [];
      const percent = Math.round((seats.used / seats.total) * 100);
      const exhausted = seats.used >= seats.total;
      if (!exhausted && (seats.used / seats.total) * 100 < options.seatThresholdPercent) return [];
      return [
        findingOf(rule, null, subject, exhausted ? 'medium' : 'low', messages.getMessage(`${id}.message`, [name, seats.used, seats.total, percent]), {
          license: name,
          used: seats.used,
          total: seats.total,
          percent,
          thresholdPercent: options.seatThresholdPercent,
        }),
      ];
    });
  },
};
