/**
 * The one text of a rule that could not be evaluated, for the command's warning, SARIF's notification and
 * JUnit's skipped test case: the reason, and the permission it needs only when the reason does not already
 * name it (a missing right's reason does: "The running user lacks Manage Users, needed to …"). Never an
 * empty reason.
 */
import { Messages } from '@salesforce/core';
import type { RuleNotEvaluated } from '../types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit');

/** Why the rule was not evaluated, naming the permission it needs once (or not at all when none applies). */
export function notEvaluatedReason(r: Pick<RuleNotEvaluated, 'reason' | 'requiredPermission'>): string {
  const reason = r.reason.trim() || messages.getMessage('notEvaluated.noReason');
  const permissions = r.requiredPermission
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  const unnamed = permissions.filter((p) => !reason.includes(p));
  if (unnamed.length === 0) return /[.!?]$/.test(reason) ? reason : `${reason}.`;
  return messages.getMessage('notEvaluated.needs', [reason.replace(/[.\s]+$/, ''), unnamed.join('; ')]);
}

/** "Rule IU010 was not evaluated: <reason>." */
export function notEvaluatedText(r: RuleNotEvaluated): string {
  return messages.getMessage('notEvaluated.warning', [r.ruleId, notEvaluatedReason(r)]);
}
