/**
 * The flags every command shares, defined once: `-o/--target-org` says that it defaults to the
 * `target-org` configuration variable, and `--api-version` has one clear summary and description
 * (sf-plugins-core's own description repeats its summary in other words, which read garbled in help).
 *
 *   'target-org': targetOrgFlag(messages.getMessage('flags.target-org.summary')),
 *   'api-version': apiVersionFlag(),
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
