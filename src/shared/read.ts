/**
 * Composable reads: each module describes the SOQL it needs and how to turn the rows into its own shape
 * (a ReadPart); a command reads all its parts at once, so queries of different modules share round trips.
 */
import { queryAll, type OrgConnection, type RetryPolicy, DEFAULT_RETRY } from './api.js';

export type Row = Record<string, unknown>;

export type ReadPart<T> = {
  queries: readonly string[];
  assemble(rows: Row[][]): T;
};

type Results<P extends ReadonlyArray<ReadPart<unknown>>> = { [K in keyof P]: P[K] extends ReadPart<infer T> ? T : never };

/** Runs every part's queries together (up to five a round trip) and assembles each part's result. */
export async function readParts<P extends ReadonlyArray<ReadPart<unknown>>>(
  conn: OrgConnection,
  parts: P,
  retry: RetryPolicy = DEFAULT_RETRY
): Promise<Results<P>> {
  const rows = await queryAll<Row>(
    conn,
    parts.flatMap((part) => part.queries),
    retry
  );
  let offset = 0;
  return parts.map((part) => {
    const mine = rows.slice(offset, offset + part.queries.length);
    offset += part.queries.length;
    return part.assemble(mine);
  }) as Results<P>;
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
