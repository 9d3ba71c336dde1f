/**
 * Query and queryAll: pages (2000 rows, `Sforce-Query-Options: batchSize`, OauthToken's 500 / 2500 caps),
 * server-side cursors for `nextRecordsUrl`, `?columns=true` metadata, and the tooling queries sf makes at login.
 */
import type { Context } from '../context.js';
import { methodNotAllowed, notFound, type ApiRequest, type ApiResponse } from '../http.js';
import { makeId } from '../ids.js';
import { accessOf } from '../model.js';
import { executeSoql, expandFields, parseSoql, queryObjectName } from '../soql/index.js';
import type { SoqlQuery } from '../soql/index.js';
import { fieldDef, SalesforceError, type FieldDef, type SObjectDef, type SoqlCatalog } from '../types.js';

const DEFAULT_PAGE = 2000;
/** The catalog queries read: what the running user may see (the model's access rules). */
function catalogFor(ctx: Context): SoqlCatalog {
  return accessOf(ctx).queryCatalog(ctx);
}

function batchSize(req: ApiRequest): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(req.headers['sforce-query-options'] ?? '');
  if (!match) return DEFAULT_PAGE;
  return Math.min(DEFAULT_PAGE, Math.max(200, Number(match[1])));
}

/** Cursor numbers per emulator (locators stay unique when old cursors are released). */
const cursorSerials = new WeakMap<Context, number>();

/** Runs a query and answers its first page (storing a cursor when more rows remain). */
function runQuery(ctx: Context, soql: string, version: string, pageHint = DEFAULT_PAGE): ApiResponse {
  const catalog = catalogFor(ctx);
  const result = executeSoql(catalog, soql, { apiVersion: version, now: ctx.now() });
  const def = ctx.db.describe(queryObjectName(catalog, soql));
  const rows = def?.maxQueryRows === undefined ? result.records : result.records.slice(0, def.maxQueryRows);
  const totalSize = def?.maxQueryRows === undefined ? result.totalSize : Math.min(result.totalSize, def.maxQueryRows);
  const pageSize = def?.pageSize ?? pageHint;
  // aggregate results (at most 2,000 rows, soql/evaluate.ts) come in one answer: they have no query locator
  const aggregate = (rows[0]?.attributes as { type?: string } | undefined)?.type === 'AggregateResult';
  if (aggregate || rows.length <= pageSize) return { status: 200, body: { totalSize, done: true, records: rows } };
  const serial = (cursorSerials.get(ctx) ?? 0) + 1;
  cursorSerials.set(ctx, serial);
  const locator = makeId('01g', serial);
  ctx.cursors.set(locator, { rows, pageSize, totalSize });
  return { status: 200, body: page(locator, rows, pageSize, totalSize, 0, version) };
}

function page(locator: string, rows: Array<Record<string, unknown>>, pageSize: number, totalSize: number, offset: number, version: string): Record<string, unknown> {
  const next = offset + pageSize;
  const done = next >= rows.length;
  return {
    totalSize,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${next}` }),
    records: rows.slice(offset, next),
  };
}

/** `query`, `query/`, `query/<locator>-<offset>` (and the same under `queryAll`). */
export function queryRoute(ctx: Context, req: ApiRequest, version: string, segments: string[]): ApiResponse {
  if (req.method !== 'GET') throw methodNotAllowed(req.method, ['HEAD', 'GET']);
  if (segments.length > 1) throw notFound();
  if (segments.length === 1) return nextPage(ctx, segments[0], version);
  const soql = req.query.get('q');
  if (!soql) throw new SalesforceError('MALFORMED_QUERY', 'A query string has to be specified');
  if (req.query.get('columns') === 'true') return { status: 200, body: columnMetadata(catalogFor(ctx), soql) };
  return runQuery(ctx, soql, version, batchSize(req));
}

function nextPage(ctx: Context, segment: string, version: string): ApiResponse {
  const match = /^(\w{15,18})-(\d+)$/.exec(segment);
  const cursor = match ? ctx.cursors.get(match[1]) : undefined;
  if (!match || !cursor || Number(match[2]) >= cursor.rows.length) throw new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator');
  return { status: 200, body: page(match[1], cursor.rows, cursor.pageSize, cursor.totalSize, Number(match[2]), version) };
}

const APEX_TYPES: Record<FieldDef['type'], string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  textarea: 'String',
  email: 'String',
  picklist: 'String',
  multipicklist: 'String',
  boolean: 'Boolean',
  int: 'Integer',
  double: 'Double',
  date: 'Date',
  datetime: 'Datetime',
};

type Column = { aggregate: boolean; apexType: string | null; booleanType: boolean; columnName: string; custom: boolean; displayName: string; foreignKeyName: null; insertable: boolean; joinColumns: Column[]; numberType: boolean; textType: boolean; updatable: boolean };

function column(name: string, display: string, field: FieldDef | undefined, joinColumns: Column[] = [], aggregate = false): Column {
  const apexType = field ? APEX_TYPES[field.type] : null;
  return {
    aggregate,
    apexType,
    booleanType: apexType === 'Boolean',
    columnName: name,
    custom: false,
    displayName: display,
    foreignKeyName: null,
    insertable: field?.createable === true,
    joinColumns,
    numberType: apexType === 'Integer' || apexType === 'Double',
    textType: apexType === 'String',
    updatable: field?.updateable === true,
  };
}

/** Walks `Parent.Field` paths, merging columns that share a parent (as Salesforce's columnMetadata does). */
function addPath(columns: Column[], catalog: SoqlCatalog, def: SObjectDef | undefined, parts: string[], prefix: string): void {
  const [head, ...rest] = parts;
  const display = prefix ? `${prefix}.${head}` : head;
  if (rest.length === 0) {
    const field = def ? fieldDef(def, head) : undefined;
    columns.push(column(field?.name ?? head, display, field));
    return;
  }
  const reference = def?.fields.find((f) => f.relationshipName?.toLowerCase() === head.toLowerCase());
  const name = reference?.relationshipName ?? head;
  let parent = columns.find((c) => c.columnName === name);
  if (!parent) {
    parent = column(name, display, undefined);
    columns.push(parent);
  }
  addPath(parent.joinColumns, catalog, reference?.referenceTo ? catalog.describe(reference.referenceTo[0]) : undefined, rest, display);
}

function selectColumns(catalog: SoqlCatalog, def: SObjectDef | undefined, query: SoqlQuery): Column[] {
  const columns: Column[] = [];
  let expr = 0;
  for (const item of def ? expandFields(def, query.select) : query.select) {
    if (item.kind === 'fields') continue;
    if (item.kind === 'field') addPath(columns, catalog, def, item.path.parts.map((p) => p.name), '');
    else if (item.kind === 'aggregate') {
      const name = item.alias ?? `expr${expr++}`;
      columns.push(column(name, item.field ? `${item.fn}(${item.field.parts.map((p) => p.name).join('.')})` : 'COUNT()', undefined, [], true));
    } else {
      const relationship = def?.childRelationships.find((c) => c.relationshipName.toLowerCase() === item.query.from.name.toLowerCase());
      const childDef = relationship ? catalog.describe(relationship.childSObject) : undefined;
      columns.push(column(relationship?.relationshipName ?? item.query.from.name, item.query.from.name, undefined, selectColumns(catalog, childDef, item.query), true));
    }
  }
  return columns;
}

function columnMetadata(catalog: SoqlCatalog, soql: string): Record<string, unknown> {
  const name = queryObjectName(catalog, soql);
  const def = catalog.describe(name);
  const query = parseSoql(soql);
  return {
    columnMetadata: selectColumns(catalog, def, query),
    entityName: name,
    groupBy: query.groupBy.length > 0,
    idSelected: query.select.some((i) => i.kind === 'field' && i.path.parts.length === 1 && i.path.parts[0].name.toLowerCase() === 'id'),
    keyPrefix: def?.keyPrefix ?? null,
  };
}

/** `tooling/query`: sf's SandboxProcess look-up answers empty; other tooling objects are not emulated. */
export function toolingRoute(req: ApiRequest, segments: string[]): ApiResponse {
  if (segments[0] !== 'query' || segments.length > 1) throw notFound();
  if (req.method !== 'GET') throw methodNotAllowed(req.method, ['HEAD', 'GET']);
  const soql = req.query.get('q') ?? '';
  const from = /\bfrom\s+(\w+)/i.exec(soql)?.[1];
  if (from?.toLowerCase() === 'sandboxprocess') {
    return { status: 200, body: { size: 0, totalSize: 0, done: true, queryLocator: null, entityTypeName: 'SandboxProcess', records: [] } };
  }
  throw new SalesforceError(
    'INVALID_TYPE',
    `\n${soql}\n^\nERROR at Row:1:Column:1\nsObject type '${from ?? ''}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}
