/**
 * The plugin's only way to talk to an org: SOQL reads batched into composite requests (up to five queries
 * a round trip, then one request per extra page), composite writes, and platform errors turned into
 * actionable SfErrors. Reads are retried with backoff on transient failures; writes never are.
 */
import type { Connection } from '@salesforce/core';
import { Messages, SfError } from '@salesforce/core';
import { countOf } from './model/count.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'shared');

/** The slice of `Connection` the library uses; tests may pass a fake. */
export type OrgConnection = Pick<Connection, 'request' | 'getApiVersion' | 'getUsername'>;

/** Most query (or collection) subrequests Salesforce accepts in one composite request. */
export const MAX_QUERIES_PER_COMPOSITE = 5;
/** Most subrequests in one composite request. */
export const MAX_COMPOSITE_SUBREQUESTS = 25;
/** Most records in one sObject Collections request. */
export const MAX_COLLECTION_RECORDS = 200;
/**
 * Most read requests one streamQueries/runQueries call has in flight at once: enough to overlap latency,
 * few enough to stay a polite API client (Salesforce counts concurrent long-running requests per org).
 */
export const MAX_CONCURRENT_REQUESTS = 4;

export type RetryPolicy = { attempts: number; baseDelayMs: number };
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500 };

export type PlatformError = { errorCode: string; message: string; fields?: string[] };

export type QueryOutcome<T> = { ok: true; records: T[] } | { ok: false; error: PlatformError };

export type SubRequest = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  referenceId: string;
  body?: unknown;
};
export type SubResponse = { body: unknown; httpStatusCode: number; referenceId: string };

type QueryPage<T> = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: T[] };

const RETRIABLE_CODES = new Set([
  'SERVER_UNAVAILABLE',
  'REQUEST_LIMIT_EXCEEDED',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
]);

export function dataUrl(conn: OrgConnection, path: string): string {
  return `/services/data/v${conn.getApiVersion()}/${path}`;
}

/**
 * Runs the queries with as few round trips as the platform allows and returns each one's rows (all pages)
 * or its platform error, in the order given. A query's failure doesn't fail the others.
 */
export async function runQueries<T = Record<string, unknown>>(
  conn: OrgConnection,
  queries: readonly string[],
  retry: RetryPolicy = DEFAULT_RETRY
): Promise<Array<QueryOutcome<T>>> {
  const rows: T[][] = queries.map(() => []);
  const outcomes = await streamQueries<T>(conn, queries, (i, records) => void rows[i].push(...records), retry);
  return outcomes.map((outcome, i) => (outcome.ok ? { ok: true, records: rows[i] } : outcome));
}

/** A query's outcome when its rows were handed to a callback page by page: how many rows it had. */
export type StreamOutcome = { ok: true; rowCount: number } | { ok: false; error: PlatformError };

/**
 * Like runQueries (same batching, paging and retries, so the same request count), but hands each page's
 * rows to `onPage(queryIndex, rows)` as it arrives instead of keeping them: a caller that aggregates
 * (e.g. LoginHistory per user) never holds more than one page of raw rows per query in flight.
 *
 * Independent cursors are fetched concurrently, at most MAX_CONCURRENT_REQUESTS requests at a time: the
 * composite requests of different batches run side by side, and each query's extra pages are followed as
 * soon as its first page arrives, in parallel with the other queries' pages. One query's pages still come
 * in order (each page names the next), so `onPage` sees a query's rows in order; pages of different
 * queries may interleave. When a request fails for good, no new request is started and the first
 * failure is thrown once the requests in flight have settled. `onDone(queryIndex, outcome)`, when given, is
 * called as soon as one query is complete (its last page in, or its error), so a caller can start work that
 * depends on that query while the others' pages still come. `onPage` may return false to follow that
 * query no further (its outcome is then ok with the rows handed so far).
 */
export async function streamQueries<T = Record<string, unknown>>(
  conn: OrgConnection,
  queries: readonly string[],
  onPage: (queryIndex: number, records: T[]) => void | boolean,
  retry: RetryPolicy = DEFAULT_RETRY,
  onDone?: (queryIndex: number, outcome: StreamOutcome) => void
): Promise<StreamOutcome[]> {
  const outcomes: StreamOutcome[] = new Array<StreamOutcome>(queries.length);
  const limit = limiter(MAX_CONCURRENT_REQUESTS);
  let failure: { error: unknown } | undefined;
  const guarded = <R>(call: () => Promise<R>): Promise<R> =>
    withRetry(conn, retry, () => limit(() => (failure ? Promise.reject(ABANDONED) : call())));

  const remember = (error: unknown): void => {
    if (error !== ABANDONED) failure ??= { error };
  };
  const follow = async (index: number, first: QueryPage<T>): Promise<void> => {
    let page = first;
    let rowCount = page.records.length;
    // `onPage` returning false stops following this query (its caller reads those rows another way).
    let more = onPage(index, page.records) !== false;
    while (more && !page.done && page.nextRecordsUrl) {
      const url = page.nextRecordsUrl;
      // eslint-disable-next-line no-await-in-loop
      page = await guarded(() => send<QueryPage<T>>(conn, { method: 'GET', url }));
      rowCount += page.records.length;
      more = onPage(index, page.records) !== false;
    }
    outcomes[index] = { ok: true, rowCount };
    onDone?.(index, outcomes[index]);
  };

  const batch = async (start: number): Promise<void> => {
    const subrequests: SubRequest[] = queries.slice(start, start + MAX_QUERIES_PER_COMPOSITE).map((soql, i) => ({
      method: 'GET',
      url: dataUrl(conn, `query?q=${encodeURIComponent(soql)}`),
      referenceId: `q${start + i}`,
    }));
    const responses = await guarded(() => composite(conn, subrequests, { allOrNone: false }));
    await Promise.all(
      responses.map((response, i) => {
        if (response.httpStatusCode >= 400) {
          outcomes[start + i] = { ok: false, error: firstError(response.body) };
          onDone?.(start + i, outcomes[start + i]);
          return Promise.resolve();
        }
        return follow(start + i, response.body as QueryPage<T>).catch(remember);
      })
    );
  };

  const starts: number[] = [];
  for (let start = 0; start < queries.length; start += MAX_QUERIES_PER_COMPOSITE) starts.push(start);
  await Promise.all(starts.map((start) => batch(start).catch(remember)));
  if (failure) throw failure.error;
  return outcomes;
}

/** Like runQueries, but any failed query throws an SfError. */
export async function queryAll<T = Record<string, unknown>>(
  conn: OrgConnection,
  queries: readonly string[],
  retry: RetryPolicy = DEFAULT_RETRY
): Promise<T[][]> {
  const outcomes = await runQueries<T>(conn, queries, retry);
  return outcomes.map((outcome) => {
    if (!outcome.ok) {
      throw platformErrorToSfError(conn, outcome.error);
    }
    return outcome.records;
  });
}

/** One composite request (`collateSubrequests: false`, so the order is kept). Never retried. */
export async function composite(
  conn: OrgConnection,
  compositeRequest: readonly SubRequest[],
  options: { allOrNone: boolean }
): Promise<SubResponse[]> {
  if (compositeRequest.length > MAX_COMPOSITE_SUBREQUESTS) {
    throw new Error(`composite request with ${compositeRequest.length} subrequests`);
  }
  const response = await send<{ compositeResponse: SubResponse[] }>(conn, {
    method: 'POST',
    url: dataUrl(conn, 'composite'),
    body: JSON.stringify({ allOrNone: options.allOrNone, collateSubrequests: false, compositeRequest }),
    headers: { 'content-type': 'application/json' },
  });
  return response.compositeResponse;
}

/** Composite graph limits (REST API Developer Guide, "Composite Graph Limits"). */
export const MAX_GRAPHS_PER_REQUEST = 75;
export const MAX_GRAPH_NODES_PER_REQUEST = 500;

export type Graph = { graphId: string; compositeRequest: readonly SubRequest[] };
export type GraphResult = { graphId: string; isSuccessful: boolean; graphResponse: { compositeResponse: SubResponse[] } };

/**
 * One `composite/graph` request: several graphs, each all-or-nothing on its own (one graph's failure
 * doesn't roll back another). Never retried. Returns one result per graph, in order.
 */
export async function compositeGraph(conn: OrgConnection, graphs: readonly Graph[]): Promise<GraphResult[]> {
  const nodes = graphs.reduce((n, g) => n + g.compositeRequest.length, 0);
  if (graphs.length > MAX_GRAPHS_PER_REQUEST || nodes > MAX_GRAPH_NODES_PER_REQUEST) {
    throw new Error(`composite graph request with ${graphs.length} graphs and ${nodes} nodes`);
  }
  const response = await send<{ graphs: GraphResult[] }>(conn, {
    method: 'POST',
    url: dataUrl(conn, 'composite/graph'),
    body: JSON.stringify({ graphs }),
    headers: { 'content-type': 'application/json' },
  });
  return response.graphs;
}

/** One item of an sObject Collections answer. */
export type CollectionItem = {
  id?: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields?: string[] }>;
};

/**
 * One sObject Collections request (`/composite/sobjects`, at most MAX_COLLECTION_RECORDS records, each
 * with `attributes.type`). Never retried: use it for writes. Returns one item per record, in order.
 */
export async function collection(
  conn: OrgConnection,
  method: 'POST' | 'PATCH',
  records: ReadonlyArray<Record<string, unknown> & { attributes: { type: string } }>,
  options: { allOrNone: boolean }
): Promise<CollectionItem[]> {
  if (records.length > MAX_COLLECTION_RECORDS) {
    throw new Error(`collection request with ${records.length} records`);
  }
  return send<CollectionItem[]>(conn, {
    method,
    url: dataUrl(conn, 'composite/sobjects'),
    body: JSON.stringify({ allOrNone: options.allOrNone, records }),
    headers: { 'content-type': 'application/json' },
  });
}

/** The first platform error in a REST or composite error body (`errorCode`) or a collections item (`statusCode`). */
export function firstError(body: unknown): PlatformError {
  const list = Array.isArray(body) ? (body as unknown[]) : [body];
  const first = (list[0] ?? {}) as { errorCode?: string; statusCode?: string; message?: string; fields?: string[] };
  return {
    errorCode: first.errorCode ?? first.statusCode ?? 'UNKNOWN_ERROR',
    message: first.message ?? JSON.stringify(body),
    fields: first.fields,
  };
}

/** Turns a platform error into an SfError whose message and actions say what to do. */
export function platformErrorToSfError(conn: Pick<OrgConnection, 'getUsername'>, error: PlatformError): SfError {
  const username = conn.getUsername() ?? 'the target org';
  switch (error.errorCode) {
    case 'INVALID_SESSION_ID':
      return messages.createError('error.SessionExpired', [username], [username]);
    case 'API_DISABLED_FOR_ORG':
      return messages.createError('error.ApiDisabled', [username]);
    default:
      return messages.createError('error.RequestFailed', [error.errorCode, error.message]);
  }
}

async function send<T>(
  conn: OrgConnection,
  request: { method: string; url: string; body?: string; headers?: Record<string, string> }
): Promise<T> {
  try {
    return await conn.request<T>(request as Parameters<OrgConnection['request']>[0]);
  } catch (e) {
    throw toRequestError(e);
  }
}

/** A failed HTTP exchange, with the platform's errorCode (or the network error code). */
export class RequestError extends Error {
  public constructor(public readonly errorCode: string, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

function toRequestError(e: unknown): RequestError {
  if (e instanceof RequestError) return e;
  const err = e as { errorCode?: string; code?: string; cause?: { code?: string }; message?: string };
  const code = err.errorCode ?? err.code ?? err.cause?.code ?? 'UNKNOWN_ERROR';
  return new RequestError(code, err.message ?? String(e));
}

/** Thrown (and swallowed) by requests not started because another one already failed for good. */
const ABANDONED = new Error('abandoned after another request failed');

/** Runs at most `max` calls at once, the others in arrival order. */
function limiter(max: number): <R>(call: () => Promise<R>) => Promise<R> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <R>(call: () => Promise<R>): Promise<R> => {
    // A finished call hands its slot straight to the next waiting one, so `running` never exceeds `max`.
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await call();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

async function withRetry<T>(conn: OrgConnection, retry: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      // eslint-disable-next-line no-await-in-loop
      return await call();
    } catch (e) {
      if (e === ABANDONED) throw e;
      const error = toRequestError(e);
      if (!RETRIABLE_CODES.has(error.errorCode) || attempt >= retry.attempts) {
        throw requestErrorToSfError(conn, error, attempt);
      }
      // eslint-disable-next-line no-await-in-loop
      await new Promise((resolve) => setTimeout(resolve, retry.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

/** Network failures after which the request may have reached the org and run: its answer was lost. */
const LOST_ANSWER_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_ABORTED',
  'ABORT_ERR',
]);
/** Network failures that prove the request never reached the org. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED']);

/**
 * Whether a failed request ended without a definite answer from the org, so a write may or may not have
 * been committed: a dropped connection or lost answer, a timeout, a 5xx without a platform error body
 * (jsforce's `ERROR_HTTP_5xx`), or an error we cannot classify. A platform error body (`errorCode` such as
 * INVALID_FIELD, UNKNOWN_EXCEPTION, FIELD_INTEGRITY_EXCEPTION, SERVER_UNAVAILABLE), an HTTP 4xx, or a
 * connection that was never made is definite. Looks through SfError causes (requestErrorToSfError keeps
 * the RequestError as its cause). After an uncertain write, re-read and report what the org holds.
 */
export function isUncertain(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { errorCode?: unknown; code?: unknown; name?: unknown; cause?: unknown; message?: unknown };
    const code = typeof e.errorCode === 'string' ? e.errorCode : typeof e.code === 'string' ? e.code : undefined;
    if (code) {
      if (LOST_ANSWER_CODES.has(code)) return true;
      if (NEVER_SENT_CODES.has(code)) return false;
      if (/^ERROR_HTTP_5\d\d$/.test(code)) return true;
      if (/^ERROR_HTTP_4\d\d$/.test(code)) return false;
      if (/^[A-Z][A-Z_]+$/.test(code) && code !== 'UNKNOWN_ERROR') return false; // a platform status code
    }
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
    current = e.cause;
  }
  return true;
}

/** Maps a failed exchange (after `attempts` tries) to an actionable SfError. */
export function requestErrorToSfError(conn: OrgConnection, error: RequestError, attempts = 1): SfError {
  const sfError =
    error.errorCode === 'REQUEST_LIMIT_EXCEEDED'
      ? messages.createError('error.RequestLimitExceeded', [countOf(attempts, 'attempt')])
      : RETRIABLE_CODES.has(error.errorCode)
      ? messages.createError('error.ServiceUnavailable', [error.errorCode, countOf(attempts, 'attempt')])
      : platformErrorToSfError(conn, { errorCode: error.errorCode, message: error.message });
  // Keeps the exchange's code reachable (isUncertain looks through causes).
  if (sfError.cause === undefined) sfError.cause = error;
  return sfError;
}
