/** The emulator's request/response model (shared by the HTTP server and composite subrequests) and error bodies. */
import { SalesforceError } from './types.js';

export type ApiRequest = {
  method: string;
  /** Decoded path with repeated slashes collapsed, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body; undefined when there is none. */
  body: unknown;
};

export type ApiResponse = { status: number; body?: unknown; headers?: Record<string, string> };

/** Salesforce's REST error body: an array of `{message, errorCode, fields}`. */
export function errorBody(e: SalesforceError): Array<{ message: string; errorCode: string; fields?: string[] }> {
  return [e.fields.length > 0 ? { message: e.message, errorCode: e.errorCode, fields: e.fields } : { message: e.message, errorCode: e.errorCode }];
}

export function errorResponse(e: SalesforceError): ApiResponse {
  return { status: e.status, body: errorBody(e) };
}

export const notFound = (): SalesforceError => new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);

export function methodNotAllowed(method: string, allowed: string[]): SalesforceError {
  return new SalesforceError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`, 405);
}

export function jsonParserError(message: string): SalesforceError {
  return new SalesforceError('JSON_PARSER_ERROR', message, 400);
}

/**
 * A request that only reads: a GET (or HEAD), or a `composite` whose subrequests are all GETs. Everything else
 * (sObject and collection writes, composite with a write, composite graph, OAuth revoke) counts as a write
 * request, judged before it runs (faults.ts holdWritesUntilReads).
 */
export function isReadRequest(req: Pick<ApiRequest, 'method' | 'path' | 'body'>): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  if (req.method !== 'POST' || !/^\/services\/data\/v\d+\.\d+\/composite\/?$/.test(req.path)) return false;
  const subrequests = isObject(req.body) ? req.body.compositeRequest : undefined;
  return Array.isArray(subrequests) && subrequests.length > 0 && subrequests.every((s) => isObject(s) && typeof s.method === 'string' && s.method.toUpperCase() === 'GET');
}

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stored value as text ('' for null / undefined); for Ids, names and dates read from records. */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
