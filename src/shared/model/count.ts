/**
 * A count with its noun in the right number ("1 problem", "2 problems"), the words from messages/shared.md
 * (`count.<noun>.one` / `count.<noun>.other`). The one plural helper: messages take the counted noun as a
 * token ("%s added") instead of writing "grant(s)".
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'shared');

export const COUNTED_NOUNS = [
  'problem',
  'finding',
  'newFinding',
  'user',
  'grant',
  'missingGrant',
  'assignment',
  'change',
  'writeRequest',
  'request',
  'attempt',
  'integration',
  'token',
  'day',
  'baselineEntry',
  'file',
] as const;
export type CountedNoun = (typeof COUNTED_NOUNS)[number];

export function countOf(n: number, noun: CountedNoun): string {
  return n === 1 ? messages.getMessage(`count.${noun}.one`) : messages.getMessage(`count.${noun}.other`, [n]);
}
