/** Runs a parsed query over the catalog: filtering, semi-joins, ordering, windowing, projection, aggregates. */
import { SalesforceError, type FieldDef, type SObjectDef, type SoqlCatalog, type SRecord } from '../types.js';
import type { CountItem, Name, OrderItem, SelectItem, SoqlQuery } from './ast.js';
import { formatDate, formatDateTime, toMillis } from './dates.js';
import { malformed, queryError, unknownChildRelationship, unsupportedType } from './errors.js';
import { compileCondition, type FilterScope, type Predicate } from './filter.js';
import { assertFilterable, follow, isIdType, readPath, resolvePath, textOf, type ResolvedPath } from './resolve.js';

export type QueryOptions = { apiVersion: string /* e.g. '62.0' */; now?: Date /* for date literals; default new Date() */ };
export type QueryResult = { totalSize: number; records: Array<Record<string, unknown>> };

type Row = Record<string, unknown>;
type Env = FilterScope & { apiVersion: string };

const MAX_OFFSET = 2000;

export function runQuery(catalog: SoqlCatalog, soql: string, query: SoqlQuery, options: QueryOptions): QueryResult {
  const env: Env = {
    catalog,
    soql,
    now: options.now ?? new Date(),
    apiVersion: options.apiVersion,
    semiJoin: (sub, pos, outer) => semiJoinIds(env, sub, pos, outer),
  };
  const object = describeObject(env, query.from);
  const fieldsAll = query.select.find((item) => item.kind === 'fields' && item.which === 'ALL');
  if (fieldsAll && (query.limit === undefined || query.limit > 200)) {
    throw queryError('MALFORMED_QUERY', soql, itemPos(fieldsAll), 'The SOQL FIELDS function must have a LIMIT of at most 200', 'FIELDS'.length);
  }
  if (query.offset && query.offset.value > MAX_OFFSET) {
    throw queryError('NUMBER_OUTSIDE_VALID_RANGE', soql, query.offset.pos, `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }
  if (query.groupBy.length > 0 || query.select.some((item) => item.kind === 'count')) return aggregate(env, object, query);
  const project = projection(env, object, query.select);
  const rows = selectRows(env, object, query);
  return { totalSize: rows.length, records: rows.map(project) };
}

/** The object a FROM names (canonical name), or Salesforce's INVALID_TYPE. */
export function describeObject(env: { catalog: SoqlCatalog; soql: string }, from: Name): SObjectDef {
  const def = env.catalog.describe(from.name);
  if (!def) throw unsupportedType(env.soql, from.pos, from.name);
  if (def.queryable === false) throw new SalesforceError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support query`);
  return def;
}

/** Matching records, ordered, OFFSET and LIMIT applied. */
function selectRows(env: Env, object: SObjectDef, query: SoqlQuery): SRecord[] {
  const predicate = wherePredicate(env, object, query);
  const order = comparator(env, object, query.orderBy);
  const rows = env.catalog.records(object.name).filter(predicate);
  if (order) rows.sort(order);
  return window(rows, query);
}

function wherePredicate(env: Env, object: SObjectDef, query: SoqlQuery): Predicate {
  return query.where ? compileCondition(env, object, query.where) : () => true;
}

function window<T>(rows: T[], query: SoqlQuery): T[] {
  const start = query.offset?.value ?? 0;
  return rows.slice(start, query.limit === undefined ? undefined : start + query.limit);
}

/** A semi-join sub-select (`Id IN (SELECT AssigneeId FROM …)`), run once: the 15-character Ids it yields. */
function semiJoinIds(env: Env, query: SoqlQuery, pos: number, outer: SObjectDef): Set<string> {
  const object = describeObject(env, query.from);
  if (object.name === outer.name) {
    throw queryError('MALFORMED_QUERY', env.soql, pos, 'The inner and outer selects should not be on the same object type');
  }
  const [first, second] = query.select;
  if (second) throw malformed(env.soql, env.soql.lastIndexOf(',', itemPos(second)), ',');
  if (first.kind !== 'field') throw malformed(env.soql, first.pos, first.kind === 'count' ? 'COUNT' : first.kind === 'fields' ? 'FIELDS' : '(');
  const resolved = resolvePath(env, object, first.path);
  if (!isIdType(resolved.field)) {
    throw queryError('INVALID_FIELD', env.soql, first.path.pos, `semi join sub-selects can only query id fields, cannot use: '${resolved.field.name}'`);
  }
  const nested: Env = {
    ...env,
    semiJoin: (_sub, nestedPos) => {
      throw queryError('MALFORMED_QUERY', env.soql, nestedPos, 'Nesting of semi join sub-selects is not supported');
    },
  };
  const ids = new Set<string>();
  for (const record of selectRows(nested, object, query)) {
    const value = readPath(env.catalog, record, resolved);
    if (typeof value === 'string' && value !== '') ids.add(value.slice(0, 15));
  }
  return ids;
}

function itemPos(item: SelectItem): number {
  return item.kind === 'field' ? item.path.pos : item.pos;
}

/** Builds the REST shape of a record: `attributes`, then the selected columns in select order. */
function projection(env: Env, object: SObjectDef, selected: SelectItem[]): (record: SRecord) => Row {
  const seen = new Set<string>();
  const items = expandFields(object, selected);
  const writers = items.map((item): ((out: Row, record: SRecord) => void) => {
    if (item.kind === 'count') throw malformed(env.soql, item.pos, 'COUNT');
    if (item.kind === 'fields') throw malformed(env.soql, item.pos, 'FIELDS');
    if (item.kind === 'subquery') return childWriter(env, object, item.query);
    const resolved = resolvePath(env, object, item.path);
    const key = resolved.canonical.toLowerCase();
    if (seen.has(key)) throw queryError('INVALID_FIELD', env.soql, item.path.pos, `duplicate field selected: ${resolved.canonical}`);
    seen.add(key);
    return fieldWriter(env, resolved);
  });
  return (record) => {
    const out: Row = { attributes: attributes(env, object.name, record.Id) };
    for (const write of writers) write(out, record);
    return out;
  };
}

/** `FIELDS(STANDARD)` / `FIELDS(ALL)` become the object's fields (the emulator's objects have only standard fields). */
export function expandFields(object: SObjectDef, items: SelectItem[]): SelectItem[] {
  return items.flatMap((item): SelectItem[] =>
    item.kind === 'fields' ? object.fields.map((f) => ({ kind: 'field', path: { parts: [{ name: f.name, pos: item.pos }], pos: item.pos } })) : [item]
  );
}

function attributes(env: Env, type: string, id: string): { type: string; url: string } {
  return { type, url: `/services/data/v${env.apiVersion}/sobjects/${type}/${id}` };
}

/** Writes `Field`, or `Parent: {attributes, …, Field}` (merged with other paths through the same parent), or `Parent: null`. */
function fieldWriter(env: Env, resolved: ResolvedPath): (out: Row, record: SRecord) => void {
  return (out, record) => {
    let target = out;
    let current = record;
    for (const reference of resolved.references) {
      const key = reference.relationshipName ?? reference.name;
      const parent = follow(env.catalog, current, reference);
      if (!parent) {
        if (!(key in target)) target[key] = null;
        return;
      }
      let nested = target[key] as Row | null | undefined;
      if (!nested) {
        nested = { attributes: attributes(env, parent.type, parent.record.Id) };
        target[key] = nested;
      }
      target = nested;
      current = parent.record;
    }
    target[resolved.field.name] = formatValue(resolved.field, current[resolved.field.name]);
  };
}

/** A child sub-select: `{totalSize, done, records}` per parent, or null. Children are grouped by parent once. */
function childWriter(env: Env, parent: SObjectDef, query: SoqlQuery): (out: Row, record: SRecord) => void {
  const key = query.from.name.toLowerCase();
  const relationship = parent.childRelationships.find((r) => r.relationshipName.toLowerCase() === key);
  if (!relationship) throw unknownChildRelationship(env.soql, query.from.pos, query.from.name);
  const child = describeObject(env, { name: relationship.childSObject, pos: query.from.pos });
  const project = projection(env, child, query.select);
  const predicate = wherePredicate(env, child, query);
  const order = comparator(env, child, query.orderBy);
  let byParent: Map<string, SRecord[]> | undefined;
  const group = (): Map<string, SRecord[]> => {
    const map = new Map<string, SRecord[]>();
    for (const record of env.catalog.records(child.name)) {
      const parentId = record[relationship.field];
      if (typeof parentId !== 'string' || parentId === '' || !predicate(record)) continue;
      const id15 = parentId.slice(0, 15);
      const list = map.get(id15);
      if (list) list.push(record);
      else map.set(id15, [record]);
    }
    for (const [id15, list] of map) map.set(id15, window(order ? list.sort(order) : list, query));
    return map;
  };
  return (out, record) => {
    byParent ??= group();
    const children = byParent.get(record.Id.slice(0, 15));
    out[relationship.relationshipName] = children?.length ? { totalSize: children.length, done: true, records: children.map(project) } : null;
  };
}

function formatValue(field: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (field.type === 'date') return formatDate(textOf(value));
  if (field.type === 'datetime') return formatDateTime(textOf(value));
  return value;
}

/** ORDER BY as a comparator (undefined when there is none); nulls placed per NULLS FIRST/LAST. */
function comparator(env: Env, object: SObjectDef, orderBy: OrderItem[], check?: (r: ResolvedPath) => void): ((a: SRecord, b: SRecord) => number) | undefined {
  if (orderBy.length === 0) return undefined;
  const keys = orderBy.map((item) => {
    const resolved = resolvePath(env, object, item.path);
    assertFilterable(env, resolved, 'sorted');
    check?.(resolved);
    return { item, resolved };
  });
  return (a, b) => {
    for (const { item, resolved } of keys) {
      const x = sortKey(resolved.field, readPath(env.catalog, a, resolved));
      const y = sortKey(resolved.field, readPath(env.catalog, b, resolved));
      if (x === y) continue;
      if (x === null) return item.nullsLast ? 1 : -1;
      if (y === null) return item.nullsLast ? -1 : 1;
      const c = x < y ? -1 : 1;
      return item.descending ? -c : c;
    }
    return 0;
  };
}

function sortKey(field: FieldDef, value: unknown): string | number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (field.type === 'date' || field.type === 'datetime') return toMillis(textOf(value));
  return isIdType(field) ? textOf(value) : textOf(value).toLowerCase();
}

/** `COUNT()`, or `COUNT(field)`/grouped fields with optional GROUP BY: AggregateResult rows. */
function aggregate(env: Env, object: SObjectDef, query: SoqlQuery): QueryResult {
  const countAll = query.select.find((item): item is CountItem => item.kind === 'count' && !item.field);
  if (countAll) {
    if (query.select.length > 1 || query.groupBy.length > 0) {
      throw queryError('MALFORMED_QUERY', env.soql, countAll.pos, 'COUNT() must be the only element in the SELECT list.', 'COUNT()'.length);
    }
    return { totalSize: selectRows(env, object, { ...query, orderBy: [] }).length, records: [] };
  }
  const grouped = query.groupBy.map((path) => resolvePath(env, object, path));
  const groupedKeys = new Set(grouped.map((g) => g.canonical.toLowerCase()));
  const mustBeGrouped = (what: string) => (resolved: ResolvedPath) => {
    if (!groupedKeys.has(resolved.canonical.toLowerCase())) {
      throw queryError('MALFORMED_QUERY', env.soql, resolved.path.pos, `${what} must be grouped or aggregated: ${resolved.canonical}`);
    }
  };
  let unaliased = 0;
  const columns = query.select.map((item): { name: string; value: (group: SRecord[]) => unknown } => {
    if (item.kind === 'subquery') throw malformed(env.soql, item.pos, '(');
    if (item.kind === 'fields') throw malformed(env.soql, item.pos, 'FIELDS');
    if (item.kind === 'field') {
      const resolved = resolvePath(env, object, item.path);
      mustBeGrouped('Field')(resolved);
      return { name: resolved.field.name, value: (group) => formatValue(resolved.field, readPath(env.catalog, group[0], resolved)) };
    }
    const name = item.alias ?? `expr${unaliased++}`;
    if (!item.field) return { name, value: (group) => group.length };
    const resolved = resolvePath(env, object, item.field);
    return { name, value: (group) => group.filter((r) => sortKey(resolved.field, readPath(env.catalog, r, resolved)) !== null).length };
  });
  const predicate = wherePredicate(env, object, query);
  const order = comparator(env, object, query.orderBy, mustBeGrouped('Ordered field'));
  const groups = new Map<string, SRecord[]>();
  if (grouped.length === 0) groups.set('', []);
  for (const record of env.catalog.records(object.name)) {
    if (!predicate(record)) continue;
    const key = JSON.stringify(grouped.map((g) => sortKey(g.field, readPath(env.catalog, record, g))));
    const list = groups.get(key);
    if (list) list.push(record);
    else groups.set(key, [record]);
  }
  let list = [...groups.values()];
  if (order) list.sort((a, b) => order(a[0], b[0]));
  list = window(list, query);
  const records = list.map((group) => {
    const out: Row = { attributes: { type: 'AggregateResult' } };
    for (const column of columns) out[column.name] = column.value(group);
    return out;
  });
  return { totalSize: records.length, records };
}
