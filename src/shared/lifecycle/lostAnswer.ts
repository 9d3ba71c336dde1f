/**
 * A lifecycle write whose answer was lost (the org may have committed it, then the connection dropped):
 * the command re-reads the org and reports what it holds. A change the re-read shows made is a success, not
 * an error; the result says `interrupted` (the shape create and assign use) and the command raises one
 * warning, so a pipeline reading `.error` or the exit code sees the truth and a reader sees why.
 */
import { isUncertain } from '../api.js';
import { errorText, messages } from './users.js';

/** Set when a write's answer was lost and the result comes from a re-read; `complete`: every change asked for is in place. */
export type Interrupted = { reason: string; complete: boolean };

/** What the lost answer was (the request's error code, else its message), as create and assign word it. */
export function lostReason(e: unknown): string {
  const code = (e as { errorCode?: unknown } | undefined)?.errorCode;
  return typeof code === 'string' && code !== '' ? code : errorText(e);
}

/** True when the failure may have committed (no definite answer): the org must be re-read before saying anything. */
export const answerLost = (e: unknown): boolean => isUncertain(e);

/** The warning (none, or one) for a result: for the JSON envelope's warnings and the text output. */
export function lostAnswerWarnings(result: { interrupted?: Interrupted }): string[] {
  const i = result.interrupted;
  if (!i) return [];
  return [messages.getMessage(i.complete ? 'warning.interruptedComplete' : 'warning.interruptedPartial', [i.reason])];
}

/** Several steps' `interrupted` as one (the first lost answer's reason; complete when every one is), or nothing. */
export function mergeInterrupted(all: ReadonlyArray<Interrupted | undefined>): { interrupted?: Interrupted } {
  const lost = all.filter((i): i is Interrupted => i !== undefined);
  return lost.length === 0 ? {} : { interrupted: { reason: lost[0].reason, complete: lost.every((i) => i.complete) } };
}
