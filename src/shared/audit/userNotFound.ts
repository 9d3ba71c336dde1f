/**
 * The "check the usernames" hint of an audit that refused an unknown --user: the list command for the org
 * the user named (`--target-org <what they typed>`), or without the flag when the default org was used,
 * so the hint can be run as it is.
 */
import { Messages, SfError } from '@salesforce/core';
import { shellQuote } from '../eca/nextSteps.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit');

/** The error with its list hint naming `targetOrg` (the --target-org value given, if any); other errors as they are. */
export function withListHint(error: unknown, targetOrg: string | undefined): unknown {
  if (!(error instanceof SfError) || !error.actions || targetOrg === undefined || targetOrg === '') return error;
  const plain = messages.getMessage('error.UserNotFound.list');
  error.actions = error.actions.map((a) => (a === plain ? messages.getMessage('error.UserNotFound.listOrg', [shellQuote(targetOrg)]) : a));
  return error;
}

/** The --target-org value as given on the command line (`-o x`, `--target-org=x`), from oclif's raw tokens. */
export function givenTargetOrg(raw: ReadonlyArray<{ type: string; flag?: string; input?: string }>): string | undefined {
  return raw.find((t) => t.type === 'flag' && t.flag === 'target-org')?.input;
}
