/** What the report formats need besides the result: the rules that ran and the tool's identity. */
import type { RuleDefinition } from '../types.js';

export type ReportContext = {
  /** The enabled rules, in id order. */
  rules: readonly RuleDefinition[];
  toolName: string;
  toolVersion: string;
  informationUri: string;
};

/** Removes characters XML 1.0 and most CI parsers reject (C0 controls other than tab, CR, LF). */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}
