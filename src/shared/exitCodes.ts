/**
 * The plugin's exit codes: the one table every command's help (`EXIT CODES`) and the README's "Exit codes"
 * section are made of (test/shared/exitCodes.test.ts holds them together).
 *
 * 2, 10 and 20 are set by oclif and sf-plugins-core, not by this plugin's code: 2 when the command line is
 * invalid (an unknown flag or argument, a missing required flag, a value outside a flag's options), 10 when
 * an error is a TypeError (a bug), 20 when Salesforce answers with an internal error ("gack"). A flag value
 * whose own parser rejects it (an org or alias sf doesn't know, a file that doesn't exist) exits 1.
 */
import { Messages } from '@salesforce/core';
import { toHelpSection } from '@salesforce/sf-plugins-core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'exitCodes');

export const EXIT_CODES = {
  /** Everything asked for is done (or was already so). */
  success: 0,
  /** The command failed; nothing was changed unless the error says otherwise. */
  failure: 1,
  /** oclif: the command line is invalid; nothing was done. */
  invalidFlags: 2,
  /** `integration user audit`: the audit ran and found problems at or above `--fail-on`. */
  auditFindings: 3,
  /** sf-plugins-core: the error is a TypeError (a bug in the plugin: please report it). */
  internalError: 10,
  /** sf-plugins-core: Salesforce answered with an internal error (UNKNOWN_EXCEPTION, a "gack"). */
  salesforceInternalError: 20,
  /** Some of the work succeeded and some failed (sf-wide convention); the result lists each outcome. */
  partialSuccess: 68,
} as const;

export type ExitCodeName = keyof typeof EXIT_CODES;
export type ExitCode = (typeof EXIT_CODES)[ExitCodeName];

/** Codes every command can end with, whatever it does. */
const EVERY_COMMAND: readonly ExitCodeName[] = ['success', 'failure', 'invalidFlags', 'internalError', 'salesforceInternalError'];
/** Codes whose meaning is the framework's, the same for every command (a command's message can't change it). */
const FRAMEWORK: readonly ExitCodeName[] = ['invalidFlags', 'internalError', 'salesforceInternalError'];

const KNOWN = new Set<number>(Object.values(EXIT_CODES));
const COMMAND_KEY = /^exitCodes?\.(\d+)$/;

/** The general meaning of a code, as the README's table gives it. */
export function exitCodeMeaning(code: ExitCode): string {
  return messages.getMessage(`code.${code}`);
}

type CommandMessages = { readonly messages: ReadonlyMap<string, unknown>; getMessage(key: string): string };

/**
 * The `EXIT CODES` help section of a command (`public static readonly errorCodes = exitCodesHelp(messages)`):
 * the codes every command has, plus each code the command's messages describe as `exitCode.N` (that
 * message then gives the command's own meaning of N; 2, 10 and 20 keep the framework's), plus `codes`.
 * Throws when a command describes a code the table doesn't have.
 */
export function exitCodesHelp(commandMessages?: CommandMessages, codes: readonly ExitCodeName[] = []): ReturnType<typeof toHelpSection> {
  const own = new Map<number, string>();
  for (const key of commandMessages?.messages.keys() ?? []) {
    const match = COMMAND_KEY.exec(key);
    if (!match) continue;
    const code = Number(match[1]);
    if (!KNOWN.has(code)) throw new Error(`${key}: exit code ${code} is not in src/shared/exitCodes.ts`);
    own.set(code, commandMessages!.getMessage(key));
  }
  const framework = new Set<number>(FRAMEWORK.map((name) => EXIT_CODES[name]));
  const listed = new Set<number>([...EVERY_COMMAND, ...codes].map((name) => EXIT_CODES[name]));
  for (const code of own.keys()) listed.add(code);
  const body = [...listed]
    .sort((a, b) => a - b)
    .map((code) => [String(code), (!framework.has(code) && own.get(code)) || exitCodeMeaning(code as ExitCode)] as const);
  return toHelpSection(messages.getMessage('title'), Object.fromEntries(body));
}
