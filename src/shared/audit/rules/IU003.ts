/** IU003: an API-only or OAuth-only user on a license other than Salesforce Integration. */
import { activeUsers, findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';

const id = 'IU003';

export const rule: AuditRule = {
  id,
  name: 'integration-on-full-license',
  defaultSeverity: 'high',
  // API Only User comes from the user's sets; OAuth-only from its logins.
  needs: ['permissionSets', 'assignments', 'logins'],
  permissionFields: ['ApiUserOnly'],
  messageKeys: [`${id}.message`],
  check: (data) =>
    activeUsers(data)
      .filter((u) => !u.isIntegrationLicense && (u.reasons.includes('apiUserOnly') || u.reasons.includes('oauthOnlyLogins')))
      .map((u) => {
        const why = u.reasons.filter((r) => r === 'apiUserOnly' || r === 'oauthOnlyLogins');
        return findingOf(
          rule,
          u.username,
          u.userLicense ?? 'unknown',
          'high',
          messages.getMessage(`${id}.message`, [u.username, why.join(', '), u.userLicense ?? '', u.profileName ?? '']),
          { userLicense: u.userLicense, profile: u.profileName, signals: why }
        );
      }),
};
