/** The grant modules' messages (messages/grants.md) and the Problem builder. */
import { Messages } from '@salesforce/core';
import type { Problem } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
export const messages = Messages.loadMessages('plugin-integration-user', 'grants');

/**
 * A validation problem from `problem.<key>` and its `problem.<key>.actions`. `actionTokens` fill the
 * actions' own specifiers (none by default: a token given to a line without one makes @salesforce/core log
 * "Unable to render tokens").
 */
export function problem(key: string, tokens: Array<string | number> = [], actionTokens: Array<string | number> = []): Problem {
  return {
    message: messages.getMessage(`problem.${key}`, tokens),
    actions: messages.getMessages(`problem.${key}.actions`, actionTokens),
  };
}
