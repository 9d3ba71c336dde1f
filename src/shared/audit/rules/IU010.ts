/** IU010: active, not frozen, no login for `dormantDays` (User.LastLoginDate, or LoginHistory if later; never = since creation). */
import { countOf } from '../../model/count.js';
import { later } from '../model.js';
import { activeUsers, findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';

const id = 'IU010';
const DAY_MS = 24 * 60 * 60 * 1000;

export const rule: AuditRule = {
  id,
  name: 'dormant-integration-user',
  defaultSeverity: 'medium',
  // LoginHistory only refines User.LastLoginDate: the rule stands without it; a frozen user is not dormant.
  needs: ['frozen'],
  permissionFields: [],
  messageKeys: [`${id}.message`, `${id}.never`],
  check: (data, options) =>
    activeUsers(data).flatMap((user) => {
      if (user.isFrozen) return [];
      const lastLogin = later(user.lastLoginDate, data.logins?.get(user.id)?.lastLogin ?? null);
      const since = lastLogin ?? user.createdDate;
      if (since === null) return [];
      const days = Math.floor((data.now.getTime() - Date.parse(since)) / DAY_MS);
      if (days < options.dormantDays) return [];
      const shown = lastLogin ?? messages.getMessage(`${id}.never`);
      return [
        findingOf(rule, user.username, 'dormant', 'medium', messages.getMessage(`${id}.message`, [user.username, countOf(days, 'day'), shown]), {
          lastLogin,
          days,
          dormantDays: options.dormantDays,
        }),
      ];
    }),
};
