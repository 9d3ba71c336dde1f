/**
 * `POST composite`: up to 25 subrequests (at most 5 queries / sObject Collections) run in order in one
 * transaction, `@{ref.path}` references, allOrNone rollback, PROCESSING_HALTED, and the mixed-DML switch.
 */
import type { Context } from '../context.js';
import { isObject, jsonParserError, methodNotAllowed, notFound, text, type ApiRequest, type ApiResponse } from '../http.js';
import { dispatch, parseDataPath } from '../router.js';
import { SalesforceError } from '../types.js';
import { collectionsRoute } from './collections.js';
import { graphRoute } from './graph.js';

const MAX_SUBREQUESTS = 25;
const MAX_QUERIES_AND_COLLECTIONS = 5;
const ROLLED_BACK = 'The transaction was rolled back since another operation in the same transaction failed.';
const REFERENCE = /@\{([^}]*)\}/g;

export type Subrequest = { method: string; url: string; referenceId: string; body?: unknown; httpHeaders?: Record<string, string> };
export type SubResponse = { body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string };

export const halted = (referenceId: string, message = ROLLED_BACK): SubResponse => ({
  body: [{ errorCode: 'PROCESSING_HALTED', message }],
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId,
});

function parseSubrequests(body: unknown): { allOrNone: boolean; subrequests: Subrequest[] } {
  if (!isObject(body) || !Array.isArray(body.compositeRequest)) throw jsonParserError("Can not deserialize composite request: 'compositeRequest' is required");
  const subrequests = body.compositeRequest.map((s): Subrequest => {
    if (!isObject(s) || typeof s.method !== 'string' || typeof s.url !== 'string' || typeof s.referenceId !== 'string') {
      throw jsonParserError('Each subrequest needs a method, a url and a referenceId');
    }
    return { method: s.method.toUpperCase(), url: s.url, referenceId: s.referenceId, body: s.body, httpHeaders: isObject(s.httpHeaders) ? (s.httpHeaders as Record<string, string>) : undefined };
  });
  if (subrequests.length > MAX_SUBREQUESTS) {
    throw new SalesforceError('LIMIT_EXCEEDED', `Composite request can't have more than ${MAX_SUBREQUESTS} subrequests; it has ${subrequests.length}.`);
  }
  const heavy = subrequests.filter((s) => {
    const segments = parseDataPath(s.url.split('?')[0])?.segments ?? [];
    return segments[0] === 'query' || segments[0] === 'queryAll' || (segments[0] === 'composite' && segments[1] === 'sobjects');
  });
  if (heavy.length > MAX_QUERIES_AND_COLLECTIONS) {
    throw new SalesforceError('LIMIT_EXCEEDED', `Composite request can't have more than ${MAX_QUERIES_AND_COLLECTIONS} query or sObject Collections subrequests; it has ${heavy.length}.`);
  }
  const seen = new Set<string>();
  for (const s of subrequests) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_]*$/.test(s.referenceId)) {
      throw new SalesforceError('INVALID_INPUT', `Invalid referenceId ('${s.referenceId}'). A referenceId can contain only alphanumeric characters and underscores, and must begin with an alphanumeric character.`);
    }
    if (seen.has(s.referenceId)) throw new SalesforceError('INVALID_INPUT', `Duplicate ReferenceId provided in the request: ${s.referenceId}`);
    seen.add(s.referenceId);
    if (!/^\/services\/data\/v\d+\.\d+\//.test(s.url) || (s.url.includes('/composite') && !/\/composite\/sobjects(\/|\?|$)/.test(s.url))) {
      throw new SalesforceError('INVALID_INPUT', `The url of subrequest '${s.referenceId}' must start with /services/data/vXX.X/ and name a resource that composite supports: ${s.url}`);
    }
  }
  return { allOrNone: body.allOrNone === true, subrequests };
}

/** Reads `ref.id` / `ref.records[0].Id`-style paths from earlier successful responses; undefined when absent. */
function lookup(responses: Map<string, SubResponse>, expression: string): unknown {
  const head = /^[A-Za-z0-9_]+/.exec(expression);
  const response = head ? responses.get(head[0]) : undefined;
  if (!head || !response || response.httpStatusCode >= 400) return undefined;
  const rest = expression.slice(head[0].length);
  const step = /\.([^.[\]]+)|\[(\d+)\]/y;
  let value: unknown = response.body;
  while (step.lastIndex < rest.length) {
    const m = step.exec(rest);
    if (!m) return undefined;
    value = m[1] !== undefined ? (isObject(value) ? value[m[1]] : undefined) : Array.isArray(value) ? value[Number(m[2])] : undefined;
    if (value === undefined || value === null) return undefined;
  }
  return value;
}

class UnresolvedReference extends Error {}

function resolve(value: unknown, responses: Map<string, SubResponse>): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([^}]*)\}$/.exec(value);
    if (whole) {
      const found = lookup(responses, whole[1]);
      if (found === undefined) throw new UnresolvedReference(whole[1]);
      return found;
    }
    return value.replace(REFERENCE, (_m, expression: string) => {
      const found = lookup(responses, expression);
      if (found === undefined) throw new UnresolvedReference(expression);
      return text(found);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, responses));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, responses)]));
  return value;
}

/** The object types a subrequest writes (for the mixed-DML rule). */
function writtenTypes(ctx: Context, req: ApiRequest): string[] {
  if (req.method === 'GET') return [];
  const segments = parseDataPath(req.path)?.segments ?? [];
  if (segments[0] === 'sobjects' && segments[1]) return [ctx.db.describe(segments[1])?.name ?? segments[1]];
  if (segments[0] !== 'composite' || segments[1] !== 'sobjects') return [];
  if (req.method === 'DELETE') return (req.query.get('ids') ?? '').split(',').map((id) => ctx.db.byPrefix(id)?.name ?? '');
  const records = isObject(req.body) && Array.isArray(req.body.records) ? req.body.records : [];
  return records.map((r) => (isObject(r) && isObject(r.attributes) ? String(r.attributes.type) : ''));
}

/** MIXED_DML_OPERATION when one of `types` is in one of the model's mixedDmlGroups and an earlier write in the other. */
function mixedDml(ctx: Context, types: string[], written: Set<string>): SalesforceError | undefined {
  const [one, two] = (ctx.model.mixedDmlGroups ?? [[], []]).map((group) => new Set(group));
  for (const type of types) {
    const other = one.has(type) ? [...written].find((w) => two.has(w)) : two.has(type) ? [...written].find((w) => one.has(w)) : undefined;
    if (other) {
      return new SalesforceError(
        'MIXED_DML_OPERATION',
        `DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): ${type}, original object: ${other}`
      );
    }
  }
  return undefined;
}

function isCollectionWrite(req: ApiRequest): boolean {
  const segments = parseDataPath(req.path)?.segments ?? [];
  return req.method !== 'GET' && segments[0] === 'composite' && segments[1] === 'sobjects';
}

/** A composite with allOrNone true imposes all-or-none on its collection subrequests. */
function forceAllOrNone(req: ApiRequest): ApiRequest {
  if (req.method === 'DELETE') {
    const query = new URLSearchParams(req.query);
    query.set('allOrNone', 'true');
    return { ...req, query };
  }
  return isObject(req.body) ? { ...req, body: { ...req.body, allOrNone: true } } : req;
}

/** A failed subrequest: an error status, or (all-or-none) a collection with a failed item. */
function failedResponse(req: ApiRequest, response: ApiResponse, allOrNone: boolean): boolean {
  if (response.status >= 400) return true;
  return allOrNone && isCollectionWrite(req) && Array.isArray(response.body) && response.body.some((r) => isObject(r) && r.success === false);
}

function subrequest(s: Subrequest, responses: Map<string, SubResponse>): ApiRequest {
  const url = resolve(s.url, responses) as string;
  const [path, search = ''] = url.split('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.httpHeaders ?? {})) headers[k.toLowerCase()] = String(v);
  return { method: s.method, path: decodeURIComponent(path), query: new URLSearchParams(search), headers, body: resolve(s.body, responses) };
}

/** Runs subrequests in order in one transaction (also the nodes of each composite graph, with allOrNone true). */
export function runSubrequests(ctx: Context, allOrNone: boolean, subrequests: Subrequest[]): SubResponse[] {
  const start = ctx.db.savepoint();
  const responses = new Map<string, SubResponse>();
  const written = new Set<string>();
  const failures = new Set<string>();
  for (const s of subrequests) {
    if (allOrNone && failures.size > 0) {
      responses.set(s.referenceId, halted(s.referenceId));
      continue;
    }
    let req: ApiRequest;
    try {
      req = subrequest(s, responses);
    } catch (e) {
      if (!(e instanceof UnresolvedReference)) throw e;
      const [ref] = e.message.split('.');
      responses.set(s.referenceId, halted(s.referenceId, `Invalid reference specified. No value for ${e.message} found in ${ref}. Provided referenceId ('${ref}') does not exist or its subrequest failed.`));
      failures.add(s.referenceId);
      continue;
    }
    if (allOrNone && isCollectionWrite(req)) req = forceAllOrNone(req);
    const types = writtenTypes(ctx, req);
    const conflict = ctx.org.mixedDml === 'reject' ? mixedDml(ctx, types, written) : undefined;
    const mark = ctx.db.savepoint();
    const response: ApiResponse = conflict ? { status: 400, body: [{ errorCode: conflict.errorCode, message: conflict.message }] } : dispatch(ctx, req);
    if (failedResponse(req, response, allOrNone)) {
      ctx.db.rollbackTo(mark);
      failures.add(s.referenceId);
    } else {
      for (const t of types) written.add(t);
    }
    const location: Record<string, string> = response.status === 201 && isObject(response.body) ? { Location: `${req.path}/${String(response.body.id)}` } : {};
    responses.set(s.referenceId, { body: response.body ?? null, httpHeaders: location, httpStatusCode: response.status, referenceId: s.referenceId });
  }
  const results = subrequests.map((s) => responses.get(s.referenceId) as SubResponse);
  if (!allOrNone || failures.size === 0) return results;
  ctx.db.rollbackTo(start);
  return results.map((r) => (failures.has(r.referenceId) ? r : halted(r.referenceId)));
}

/** `composite` and `composite/sobjects…` (segments after `composite`). */
export function compositeRoute(ctx: Context, req: ApiRequest, version: string, segments: string[]): ApiResponse {
  if (segments[0] === 'sobjects') return collectionsRoute(ctx, req, version, segments.slice(1));
  if (segments[0] === 'graph' && segments.length === 1) return graphRoute(ctx, req);
  if (segments.length > 0) throw notFound();
  if (req.method !== 'POST') throw methodNotAllowed(req.method, ['POST']);
  const { allOrNone, subrequests } = parseSubrequests(req.body);
  return { status: 200, body: { compositeResponse: runSubrequests(ctx, allOrNone, subrequests) } };
}
