/** The JSON report: the same object as the `--json` envelope's `result`. */
import type { AuditResult } from '../policy.js';

export function formatJson(result: AuditResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
