/**
 * The audit's rules as users see them (`--list-rules`, SARIF, JUnit): derived from the rule modules in
 * rules/ (one per rule). The text lives in messages/audit.md (the audit library's messages); ids and names never change.
 */
import { definitionOf } from './rule.js';
import { AUDIT_RULES } from './rules/index.js';
import type { RuleDefinition } from './types.js';

export { HIGH_RISK_PERMISSIONS } from './rules/IU004.js';

export const RULES: readonly RuleDefinition[] = Object.freeze(AUDIT_RULES.map(definitionOf));

/** A rule by id; throws on an unknown id (a programming error). */
export function ruleById(id: string): RuleDefinition {
  const found = RULES.find((r) => r.id === id);
  if (!found) throw new Error(`unknown rule ${id}`);
  return found;
}
