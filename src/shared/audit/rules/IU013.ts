/** IU013: an External Client App's client-credentials run-as user that is missing, inactive or not API-only. */
import { findingOf, ruleMessages as messages, type AuditRule } from '../rule.js';

const id = 'IU013';

export const rule: AuditRule = {
  id,
  name: 'eca-run-as-user-invalid',
  defaultSeverity: 'high',
  // API Only User of the run-as user comes from its sets.
  needs: ['permissionSets', 'assignments'],
  permissionFields: ['ApiUserOnly'],
  messageKeys: [`${id}.message`, `${id}.missing`, `${id}.notFound`, `${id}.inactive`, `${id}.notIntegration`],
  check: (data) =>
    data.ecaPolicies.flatMap((file) => {
      let problem: 'missing' | 'notFound' | 'inactive' | 'notIntegration' | undefined;
      if (!file.runAsUser) {
        problem = file.clientCredentialsEnabled ? 'missing' : undefined;
      } else {
        const user = data.runAsUsers.get(file.runAsUser.toLowerCase());
        if (!user) problem = 'notFound';
        else if (!user.isActive) problem = 'inactive';
        else if (!user.isIntegrationLicense && !user.hasApiUserOnly) problem = 'notIntegration';
      }
      if (!problem) return [];
      const username = file.runAsUser ?? null;
      return [
        findingOf(
          rule,
          username,
          file.path,
          'high',
          messages.getMessage(`${id}.message`, [file.path, username ?? '', messages.getMessage(`${id}.${problem}`)]),
          { file: file.path, runAsUser: username, problem }
        ),
      ];
    }),
};
