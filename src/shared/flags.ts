/**
 * The flags every command shares, defined once: `-o/--target-org` says that it defaults to the
 * `target-org` configuration variable, and `--api-version` has one clear summary and description
 * (sf-plugins-core's own description repeats its summary in other words, which read garbled in help).
 *
 *   ...orgFlags(messages.getMessage('flags.target-org.summary')),   // or orgFlags() for the shared summary
 *
 * and the flags several commands define alike (`-u/--user`, `--allow-non-integration-user`, `--dry-run`,
 * `--force`, plan/apply's `-f/--file` + string `-o`), each with the summary of the command's own messages
 * file (`flags.<name>.summary`), so a command's help text stays its own.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'flags');

/** `summary` (what the org is for) followed by where it comes from when the flag is not given. */
function orgSummary(summary: string | undefined): string {
  const own = (summary ?? messages.getMessage('target-org.summary')).trim();
  return `${own}${/[.!?]$/.test(own) ? '' : '.'} ${messages.getMessage('target-org.default')}`;
}

/** `-o/--target-org`, required: the given org, else the `target-org` configuration variable's. */
export function targetOrgFlag(summary?: string) {
  return Flags.requiredOrg({ summary: orgSummary(summary), description: messages.getMessage('target-org.description') });
}

/** `-o/--target-org` for a command that also works without an org; it still defaults to the configured one. */
export function optionalTargetOrgFlag(summary?: string) {
  return Flags.optionalOrg({ summary: orgSummary(summary), description: messages.getMessage('target-org.description') });
}

/** `--api-version`: the API version of the requests, else `org-api-version` config, else the org's latest. */
export function apiVersionFlag(summary?: string) {
  return Flags.orgApiVersion({
    summary: summary ?? messages.getMessage('api-version.summary'),
    description: messages.getMessage('api-version.description'),
  });
}

/** `-o/--target-org` and `--api-version`, the pair every org command has. */
export function orgFlags(targetOrgSummary?: string) {
  return { 'target-org': targetOrgFlag(targetOrgSummary), 'api-version': apiVersionFlag() };
}

/** A command's messages: the flag summaries below are its `flags.<flag>.summary` keys. */
export type FlagMessages = Pick<Messages<string>, 'getMessage'>;

/** `-u/--user`, required: the one user a lifecycle command acts on. */
export function userFlag(m: FlagMessages) {
  return Flags.string({ char: 'u', required: true, summary: m.getMessage('flags.user.summary') });
}

/** `-u/--user`, required and repeatable: the users a lifecycle command acts on. */
export function usersFlag(m: FlagMessages) {
  return Flags.string({ char: 'u', multiple: true, required: true, summary: m.getMessage('flags.user.summary') });
}

/** `--allow-non-integration-user`: act on a user that is not an integration user too. */
export function allowNonIntegrationUserFlag(m: FlagMessages) {
  return Flags.boolean({ default: false, summary: m.getMessage('flags.allow-non-integration-user.summary') });
}

/** `--dry-run`: say what would be done, change nothing. */
export function dryRunFlag(m: FlagMessages) {
  return Flags.boolean({ default: false, summary: m.getMessage('flags.dry-run.summary') });
}

/** `--force`. */
export function forceFlag(m: FlagMessages) {
  return Flags.boolean({ default: false, summary: m.getMessage('flags.force.summary') });
}

function lifecycleGroup<U, F extends object>(m: FlagMessages, user: U, own: F) {
  return { ...orgFlags(), user, ...own, 'allow-non-integration-user': allowNonIntegrationUserFlag(m), 'dry-run': dryRunFlag(m) };
}

/**
 * A lifecycle command's flags: the org pair, `-u/--user` (one user), the command's `own` flags, then
 * `--allow-non-integration-user` and `--dry-run` (in this order, which is the help's usage line order).
 */
export function lifecycleFlags<F extends object>(m: FlagMessages, own: F = {} as F) {
  return lifecycleGroup(m, userFlag(m), own);
}

/** {@link lifecycleFlags} with a repeatable `-u/--user` (freeze, unfreeze). */
export function usersLifecycleFlags<F extends object>(m: FlagMessages, own: F = {} as F) {
  return lifecycleGroup(m, usersFlag(m), own);
}

/** The flags of a command on one local External Client App: the org pair, `-n/--name` (required), then its `own`. */
export function appFlags<F extends object>(m: FlagMessages, own: F) {
  return { ...orgFlags(), name: Flags.string({ char: 'n', required: true, summary: m.getMessage('flags.name.summary') }), ...own };
}

/**
 * plan's and apply's `-f/--file` (the spec), `-o/--target-org` and `--api-version`. -o is kept a string: the
 * spec environment's targetOrg comes between the flag and the default org (spec/connect.ts), which
 * Flags.optionalOrg would resolve first.
 */
export function specFileFlags(m: FlagMessages) {
  return {
    file: Flags.file({ char: 'f', required: true, exists: true, summary: m.getMessage('flags.file.summary') }),
    'target-org': Flags.string({ char: 'o', summary: m.getMessage('flags.target-org.summary') }),
    'api-version': apiVersionFlag(),
  };
}
