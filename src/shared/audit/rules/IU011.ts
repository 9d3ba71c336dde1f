/** IU011: frozen or inactive users still holding PSLs, permission sets or groups. */
import type { AuditData } from '../model.js';
import { findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';

const id = 'IU011';

export const rule: AuditRule = {
  id,
  name: 'inactive-user-with-grants',
  defaultSeverity: 'low',
  needs: ['permissionSets', 'assignments', 'pslAssignments', 'frozen'],
  permissionFields: [],
  // The fix fits the user's state: an inactive user is never told to deactivate.
  messageKeys: [`${id}.message`, `${id}.frozen`, `${id}.inactive`, `${id}.remediation.frozen`, `${id}.remediation.inactive`],
  check: (data) =>
    data.users.flatMap((user) => {
      if (user.isActive && !user.isFrozen) return [];
      const grants = [
        ...user.pslIds.map((p) => `PermissionSetLicense:${pslName(data, p)}`),
        ...user.setIds.map((s) => `PermissionSet:${data.permissionSets.get(s)?.name ?? s}`),
        ...user.groupIds.map((g) => `PermissionSetGroup:${data.groups.get(g)?.name ?? g}`),
      ];
      if (grants.length === 0) return [];
      const state = user.isActive ? 'frozen' : 'inactive';
      const finding = findingOf(
        rule,
        user.username,
        state,
        'low',
        messages.getMessage(`${id}.message`, [user.username, messages.getMessage(`${id}.${state}`), grants.map(shown).join(', ')]),
        { state, grants }
      );
      return [{ ...finding, remediation: messages.getMessage(`${id}.remediation.${state}`) }];
    }),
};

/** `PermissionSet:Billing_Sync_Access` (the evidence) as the other rules word a grant: `PermissionSet "Billing_Sync_Access"`. */
function shown(grant: string): string {
  const at = grant.indexOf(':');
  return `${grant.slice(0, at)} "${grant.slice(at + 1)}"`;
}

function pslName(data: AuditData, pslId: string): string {
  const target = data.licenses.byId(pslId);
  return target?.kind === 'psl' ? target.license.developerName : target?.license.name ?? pslId;
}
