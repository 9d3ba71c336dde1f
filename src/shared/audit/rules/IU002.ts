/** IU002: on the deprecated "Salesforce API Only System Integrations" profile. */
import { activeUsers, findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';

const id = 'IU002';

export const rule: AuditRule = {
  id,
  name: 'legacy-integration-profile',
  defaultSeverity: 'medium',
  needs: [],
  permissionFields: [],
  messageKeys: [`${id}.message`],
  check: (data) =>
    activeUsers(data)
      .filter((u) => u.isLegacyProfile)
      .map((u) =>
        findingOf(rule, u.username, u.profileName ?? u.profileId, 'medium', messages.getMessage(`${id}.message`, [u.username, u.profileName ?? '']), {
          profile: u.profileName,
        })
      ),
};
