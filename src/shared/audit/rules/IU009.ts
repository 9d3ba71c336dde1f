/** IU009: successful UI logins in the window. */
import { countOf } from '../../model/count.js';
import { activeUsers, findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';

const id = 'IU009';

export const rule: AuditRule = {
  id,
  name: 'interactive-login',
  defaultSeverity: 'high',
  needs: ['logins'],
  permissionFields: [],
  messageKeys: [`${id}.message`, `${id}.messageOne`],
  check: (data) =>
    activeUsers(data).flatMap((user) => {
      const summary = data.logins?.get(user.id);
      if (!summary || summary.uiLogins === 0) return [];
      return [
        findingOf(
          rule,
          user.username,
          'ui-login',
          'high',
          summary.uiLogins === 1
            ? messages.getMessage(`${id}.messageOne`, [user.username, countOf(data.loginWindowDays, 'day'), summary.lastUiLogin ?? ''])
            : messages.getMessage(`${id}.message`, [user.username, summary.uiLogins, countOf(data.loginWindowDays, 'day'), summary.lastUiLogin ?? '']),
          { uiLogins: summary.uiLogins, lastUiLogin: summary.lastUiLogin, windowDays: data.loginWindowDays }
        ),
      ];
    }),
};
