/**
 * How the caller named things on the command line: the org (the -o value, for advice such as logging in
 * again) and users given as sf aliases (resolved as `sf org assign permset -b` does).
 */
import { StateAggregator } from '@salesforce/core';

/** The -o / --target-org value as typed, else the org's alias, else its username. */
export async function targetOrgRef(argv: readonly string[], username: string | undefined): Promise<string | undefined> {
  for (const [i, arg] of argv.entries()) {
    if ((arg === '-o' || arg === '--target-org') && argv[i + 1]) return argv[i + 1];
    if (arg.startsWith('--target-org=')) return arg.slice('--target-org='.length);
    if (/^-o.+/.test(arg)) return arg.slice(2).replace(/^=/, '');
  }
  if (!username) return undefined;
  try {
    const state = await StateAggregator.getInstance();
    return state.aliases.resolveAlias(username) ?? username;
  } catch {
    return username;
  }
}

/** Each value that is an sf alias becomes its username; other values are kept as given. */
export async function resolveUserAliases(values: readonly string[]): Promise<string[]> {
  let state: StateAggregator | undefined;
  try {
    state = await StateAggregator.getInstance();
  } catch {
    return [...values];
  }
  return values.map((v) => state?.aliases.resolveUsername(v) ?? v);
}
