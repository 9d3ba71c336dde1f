/** A count with its noun in the right number ("1 problem", "2 problems"), the words from messages/shared.md. */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'shared');

export type CountedNoun = 'problem';

export function countOf(n: number, noun: CountedNoun): string {
  return n === 1 ? messages.getMessage(`count.${noun}.one`) : messages.getMessage(`count.${noun}.other`, [n]);
}
