/**
 * The plugin's only way to talk to an org: SOQL reads batched into composite requests (up to five queries
 * a round trip, then one request per extra page), composite writes, and platform errors turned into
 * actionable SfErrors. Reads are retried with backoff on transient failures; writes never are.
 */
import type { Connection } from '@salesforce/core';
import { Messages, SfError } from '@salesforce/core';

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
  const outcomes = await streamQueries<T>(conn, queries, (i, records) => rows[i].push(...records), retry);
  return outcomes.map((outcome, i) => (outcome.ok ? { ok: true, records: rows[i] } : outcome));
}

/** A query's outcome when its rows were handed to a callback page by page: how many rows it had. */
export type StreamOutcome = { ok: true; rowCount: number } | { ok: false; error: PlatformError };

/**
 * Like runQueries (same batching, paging and retries, so the same request count), but hands each page's
 * rows to `onPage(queryIndex, rows)` as it arrives instead of keeping them: a caller that aggregates
 * (e.g. LoginHistory per user) never holds more than one page of raw rows.
 */
export async function streamQueries<T = Record<string, unknown>>(
  conn: OrgConnection,
  queries: readonly string[],
  onPage: (queryIndex: number, records: T[]) => void,
  retry: RetryPolicy = DEFAULT_RETRY
): Promise<StreamOutcome[]> {
  const outcomes: StreamOutcome[] = [];
  for (let start = 0; start < queries.length; start += MAX_QUERIES_PER_COMPOSITE) {
    const batch = queries.slice(start, start + MAX_QUERIES_PER_COMPOSITE);
    const subrequests: SubRequest[] = batch.map((soql, i) => ({
      method: 'GET',
      url: dataUrl(conn, `query?q=${encodeURIComponent(soql)}`),
      referenceId: `q${start + i}`,
    }));
    // eslint-disable-next-line no-await-in-loop
    const responses = await withRetry(conn, retry, () => composite(conn, subrequests, { allOrNone: false }));
    for (const [i, response] of responses.entries()) {
      if (response.httpStatusCode >= 400) {
        outcomes.push({ ok: false, error: firstError(response.body) });
        continue;
      }
      let page = response.body as QueryPage<T>;
      let rowCount = page.records.length;
      onPage(start + i, page.records);
      while (!page.done && page.nextRecordsUrl) {
        const url = page.nextRecordsUrl;
        // eslint-disable-next-line no-await-in-loop
        page = await withRetry(conn, retry, () => send<QueryPage<T>>(conn, { method: 'GET', url }));
        rowCount += page.records.length;
        onPage(start + i, page.records);
      }
      outcomes.push({ ok: true, rowCount });
    }
  }
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

async function withRetry<T>(conn: OrgConnection, retry: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      // eslint-disable-next-line no-await-in-loop
      return await call();
    } catch (e) {
      const error = toRequestError(e);
      if (!RETRIABLE_CODES.has(error.errorCode) || attempt >= retry.attempts) {
        throw requestErrorToSfError(conn, error, attempt);
      }
      // eslint-disable-next-line no-await-in-loop
      await new Promise((resolve) => setTimeout(resolve, retry.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

/** Maps a failed exchange (after `attempts` tries) to an actionable SfError. */
export function requestErrorToSfError(conn: OrgConnection, error: RequestError, attempts = 1): SfError {
  if (error.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    return messages.createError('error.RequestLimitExceeded', [attempts]);
  }
  if (RETRIABLE_CODES.has(error.errorCode)) {
    return messages.createError('error.ServiceUnavailable', [error.errorCode, attempts]);
  }
  return platformErrorToSfError(conn, { errorCode: error.errorCode, message: error.message });
}
