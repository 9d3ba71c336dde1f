/**
 * sObject Collections (`composite/sobjects`): create / update / delete up to 200 records, retrieve by Ids.
 * Results in record order with `statusCode` errors; allOrNone rolls back everything.
 */
import type { Context } from '../context.js';
import { deleteRecord, findRecord, insertRecord, updateRecord } from '../dml.js';
import { isObject, jsonParserError, methodNotAllowed, notFound, type ApiRequest, type ApiResponse } from '../http.js';
import { isValidId } from '../ids.js';
import { SalesforceError, type SObjectDef } from '../types.js';
import { fieldList, restRecord } from './sobjects.js';

const MAX_RECORDS = 200;
const MAX_CHUNKS = 10;
const ROLLED_BACK = 'Record rolled back because not all records were valid and the request was using AllOrNone header';

type SaveResult = { id: string | null; success: boolean; errors: Array<{ statusCode: string; message: string; fields: string[] }> };

const failure = (id: string | null, e: SalesforceError): SaveResult => ({ id, success: false, errors: [{ statusCode: e.errorCode, message: e.message, fields: e.fields }] });

function checkCount(count: number): void {
  if (count > MAX_RECORDS) {
    throw new SalesforceError('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  }
}

/** One chunk per change of type; at most 10; several types are refused when one is a Setup object (all emulated writable objects are). */
function checkTypes(types: string[]): void {
  let chunks = 0;
  types.forEach((t, i) => {
    if (i === 0 || types[i - 1] !== t) chunks++;
  });
  if (chunks > MAX_CHUNKS) {
    throw new SalesforceError('INVALID_OPERATION', 'Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking.');
  }
  if (new Set(types).size > 1) {
    throw new SalesforceError(
      'INVALID_OPERATION',
      "You can't create records for multiple object types in one call when one of the types is related to a feature in the Salesforce Setup area."
    );
  }
}

/** Runs one write per item; with allOrNone a failure rolls all back and the others report ALL_OR_NONE_OPERATION_ROLLED_BACK. */
function runWrites(ctx: Context, allOrNone: boolean, items: Array<{ id: string | null; write: () => string }>): ApiResponse {
  const mark = ctx.db.savepoint();
  const results: SaveResult[] = items.map((item) => {
    try {
      return { id: item.write(), success: true, errors: [] };
    } catch (e) {
      if (e instanceof SalesforceError) return failure(item.id, e);
      throw e;
    }
  });
  if (allOrNone && results.some((r) => !r.success)) {
    ctx.db.rollbackTo(mark);
    const rolledBack = new SalesforceError('ALL_OR_NONE_OPERATION_ROLLED_BACK', ROLLED_BACK);
    return { status: 200, body: results.map((r, i) => (r.success ? failure(items[i].id, rolledBack) : { ...r, id: items[i].id })) };
  }
  return { status: 200, body: results };
}

function recordsOf(body: unknown): Array<Record<string, unknown>> {
  if (!isObject(body) || !Array.isArray(body.records)) throw jsonParserError("Can not deserialize SObject collection: 'records' is required");
  return body.records.map((r) => {
    if (!isObject(r)) throw jsonParserError('Can not deserialize SObject out of VALUE token');
    return r;
  });
}

function typeOf(ctx: Context, record: Record<string, unknown>): SObjectDef {
  const attributes = record.attributes;
  const type = isObject(attributes) ? attributes.type : undefined;
  if (typeof type !== 'string') throw new SalesforceError('INVALID_TYPE', 'No SObject Type defined in the attributes map. You must specify a value for the type field.');
  const def = ctx.db.describe(type);
  if (!def) throw new SalesforceError('INVALID_TYPE', `sObject type '${type}' is not supported.`);
  return def;
}

function saveRecords(ctx: Context, req: ApiRequest): ApiResponse {
  const records = recordsOf(req.body);
  checkCount(records.length);
  const defs = records.map((r) => typeOf(ctx, r));
  checkTypes(defs.map((d) => d.name));
  const allOrNone = isObject(req.body) && req.body.allOrNone === true;
  const items = records.map((record, i) => {
    const def = defs[i];
    if (req.method === 'POST') {
      return { id: null, write: (): string => insertRecord(ctx, def, record).Id };
    }
    const id = typeof record.Id === 'string' ? record.Id : null;
    return {
      id,
      write: (): string => {
        if (!id) throw new SalesforceError('MISSING_ARGUMENT', 'Id not specified in an update call', 400, ['Id']);
        if (!isValidId(id)) throw new SalesforceError('MALFORMED_ID', `malformed id ${id}`, 400, ['Id']);
        const target = ctx.db.byId(id);
        if (!target || target.type !== def.name) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', 400);
        const { Id: _id, ...changes } = record;
        updateRecord(ctx, def, target.record, changes);
        return target.record.Id;
      },
    };
  });
  return runWrites(ctx, allOrNone, items);
}

function deleteRecords(ctx: Context, req: ApiRequest): ApiResponse {
  const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
  if (ids.length === 0) throw new SalesforceError('MISSING_ARGUMENT', 'ids parameter is required');
  checkCount(ids.length);
  checkTypes(ids.map((id) => ctx.db.byPrefix(id)?.name ?? id.slice(0, 3)));
  const allOrNone = req.query.get('allOrNone') === 'true';
  const items = ids.map((id) => ({
    id,
    write: (): string => {
      if (!isValidId(id)) throw new SalesforceError('MALFORMED_ID', `malformed id ${id}`, 400, ['Id']);
      const target = ctx.db.byId(id);
      if (!target) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted');
      deleteRecord(ctx, ctx.db.describe(target.type) as SObjectDef, target.record);
      return target.record.Id;
    },
  }));
  return runWrites(ctx, allOrNone, items);
}

/** GET `composite/sobjects/<Type>?ids=&fields=`: the records in Id order, null for Ids not found. */
function retrieve(ctx: Context, req: ApiRequest, version: string, typeName: string): ApiResponse {
  const def = ctx.db.describe(typeName);
  if (!def) throw notFound();
  const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
  const fields = fieldList(req);
  if (ids.length === 0 || !fields) throw new SalesforceError('MISSING_ARGUMENT', 'ids and fields parameters are required');
  if (ids.length > 2000) throw new SalesforceError('EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 2000 records into this call');
  const rows = ids.map((id) => {
    try {
      return restRecord(def, findRecord(ctx, def, id), version, fields);
    } catch (e) {
      if (e instanceof SalesforceError && e.errorCode !== 'INVALID_FIELD') return null;
      throw e;
    }
  });
  return { status: 200, body: rows };
}

/** `composite/sobjects[/<Type>]` (segments after `sobjects`). */
export function collectionsRoute(ctx: Context, req: ApiRequest, version: string, segments: string[]): ApiResponse {
  if (segments.length === 1) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['HEAD', 'GET', 'POST']);
    return retrieve(ctx, req, version, segments[0]);
  }
  if (segments.length > 1) throw notFound();
  if (req.method === 'POST' || req.method === 'PATCH') return saveRecords(ctx, req);
  if (req.method === 'DELETE') return deleteRecords(ctx, req);
  throw methodNotAllowed(req.method, ['POST', 'PATCH', 'DELETE']);
}
