/** IU008: more than one OAuth app/client (OauthToken AppName, API LoginHistory Application). */
import { distinctNames } from '../model.js';
import { activeUsers, findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';

const id = 'IU008';

export const rule: AuditRule = {
  id,
  name: 'multiple-oauth-clients',
  defaultSeverity: 'high',
  needs: ['logins', 'oauthTokens'],
  permissionFields: [],
  messageKeys: [`${id}.message`],
  check: (data) =>
    activeUsers(data).flatMap((user) => {
      const apps = distinctNames([...(data.oauthApps?.get(user.id) ?? []), ...(data.logins?.get(user.id)?.apps ?? [])]);
      if (apps.length < 2) return [];
      return [
        findingOf(rule, user.username, 'oauth-clients', 'high', messages.getMessage(`${id}.message`, [user.username, apps.length, apps.join(', ')]), {
          apps,
        }),
      ];
    }),
};
