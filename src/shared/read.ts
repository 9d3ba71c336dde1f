/**
 * Composable reads: each module describes the SOQL it needs and how to turn the rows into its own shape
 * (a ReadPart); a command reads all its parts at once, so queries of different modules share round trips.
 */
import { platformErrorToSfError, runQueries, type OrgConnection, type PlatformError, type RetryPolicy, DEFAULT_RETRY } from './api.js';

export type Row = Record<string, unknown>;

export type ReadPart<T> = {
  queries: readonly string[];
  /**
   * Indexes (into `queries`) of the queries whose failure this part handles itself, e.g. an object the
   * running user may not be allowed to read: their rows come back empty and `failures[i]` says why
   * (readParts always passes `failures`; it is optional only for callers assembling rows they read themselves).
   * A failure of any other query fails the read.
   */
  optional?: readonly number[];
  assemble(rows: Row[][], failures?: ReadonlyArray<PlatformError | undefined>): T;
};

type Results<P extends ReadonlyArray<ReadPart<unknown>>> = { [K in keyof P]: P[K] extends ReadPart<infer T> ? T : never };

/**
 * Runs every part's queries together (up to five a round trip, composites and pages fetched a few at a
 * time) and assembles each part's result, in order. Parts whose queries all answered are assembled first,
 * so a part that refuses (e.g. `rightsRead(needs)` naming a missing permission) is what the caller sees
 * rather than the raw platform error of a query that permission would have allowed; then the first failed
 * query of a part that cannot do without it throws.
 */
export async function readParts<P extends ReadonlyArray<ReadPart<unknown>>>(
  conn: OrgConnection,
  parts: P,
  retry: RetryPolicy = DEFAULT_RETRY
): Promise<Results<P>> {
  const outcomes = await runQueries<Row>(
    conn,
    parts.flatMap((part) => part.queries),
    retry
  );
  let offset = 0;
  let firstFailure: PlatformError | undefined;
  const results = parts.map((part) => {
    const mine = outcomes.slice(offset, offset + part.queries.length);
    offset += part.queries.length;
    const optional = new Set(part.optional ?? []);
    const fatal = mine.find((o, i) => !o.ok && !optional.has(i));
    if (fatal && !fatal.ok) {
      firstFailure ??= fatal.error;
      return undefined;
    }
    return part.assemble(
      mine.map((o) => (o.ok ? o.records : [])),
      mine.map((o) => (o.ok ? undefined : o.error))
    );
  });
  if (firstFailure) throw platformErrorToSfError(conn, firstFailure);
  return results as Results<P>;
}

/** Reads a nested field of a query row: `field(row, 'Profile', 'UserLicense', 'Name')`; null when absent. */
export function field<T = string>(row: Row | null | undefined, ...path: string[]): T | null {
  let value: unknown = row;
  for (const key of path) {
    if (value === null || value === undefined || typeof value !== 'object') return null;
    value = (value as Row)[key];
  }
  return (value ?? null) as T | null;
}
