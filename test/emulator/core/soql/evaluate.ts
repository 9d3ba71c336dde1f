/** Runs a parsed query over the catalog: filtering, semi-joins, ordering, windowing, projection, aggregates. */
import { isGroupable, keep, SalesforceError, type FieldDef, type SObjectDef, type SoqlCatalog, type SRecord } from '../types.js';
import type { AggregateFunction, AggregateItem, Name, OrderItem, SelectItem, SoqlQuery } from './ast.js';
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
  if (query.groupBy.length > 0 || query.select.some((item) => item.kind === 'aggregate')) return aggregate(env, object, query);
  const project = projection(env, object, query.select);
  const records = selectRows(env, object, query, project);
  return { totalSize: records.length, records };
}

/** The object a FROM names (canonical name), or Salesforce's INVALID_TYPE. */
export function describeObject(env: { catalog: SoqlCatalog; soql: string }, from: Name): SObjectDef {
  const def = env.catalog.describe(from.name);
  if (!def) throw unsupportedType(env.soql, from.pos, from.name);
  if (def.queryable === false) throw new SalesforceError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support query`);
  return def;
}

/**
 * Matching records, ordered, OFFSET and LIMIT applied, each mapped by `map`. Without ORDER BY the rows are
 * mapped as they are scanned (nothing but the mapped values is kept, which matters for large objects).
 */
function selectRows<T>(env: Env, object: SObjectDef, query: SoqlQuery, map: (record: SRecord) => T): T[] {
  const predicate = wherePredicate(env, object, query);
  const order = comparator(env, object, query.orderBy);
  if (order) {
    const rows: SRecord[] = [];
    for (const record of scan(env, object.name)) if (predicate(record)) rows.push(keep(record));
    return window(rows.sort(order), query).map(map);
  }
  const skip = query.offset?.value ?? 0;
  const out: T[] = [];
  let seen = 0;
  if (query.limit === 0) return out;
  for (const record of scan(env, object.name)) {
    if (!predicate(record) || seen++ < skip) continue;
    out.push(map(record));
    if (query.limit !== undefined && out.length >= query.limit) break;
  }
  return out;
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
  if (first.kind !== 'field') throw malformed(env.soql, first.pos, first.kind === 'aggregate' ? first.fn : first.kind === 'fields' ? 'FIELDS' : '(');
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
  for (const value of selectRows(nested, object, query, (record) => readPath(env.catalog, record, resolved))) {
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
    if (item.kind === 'aggregate') throw malformed(env.soql, item.pos, item.fn);
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
    for (const scanned of scan(env, child.name)) {
      const parentId = scanned[relationship.field];
      if (typeof parentId !== 'string' || parentId === '' || !predicate(scanned)) continue;
      const record = keep(scanned);
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

/** Aggregate queries answer at most this many rows: they have no query locator (SOQL "Considerations for GROUP BY"). */
export const AGGREGATE_ROW_LIMIT = 2000;

/** Field types each aggregate function accepts (COUNT / COUNT_DISTINCT: any). */
const AGGREGATE_TYPES: Partial<Record<AggregateFunction, ReadonlyArray<FieldDef['type']>>> = {
  MAX: ['string', 'email', 'picklist', 'int', 'double', 'date', 'datetime'],
  MIN: ['string', 'email', 'picklist', 'int', 'double', 'date', 'datetime'],
  SUM: ['int', 'double'],
  AVG: ['int', 'double'],
};

/** One running aggregate: fed every row of its group, then asked for the value. */
type Accumulator = { add(record: SRecord): void; value(): unknown };

function accumulator(env: Env, fn: AggregateFunction, resolved: ResolvedPath | undefined): () => Accumulator {
  if (!resolved) {
    return () => {
      let n = 0;
      return { add: () => void n++, value: () => n };
    };
  }
  const read = (r: SRecord): unknown => readPath(env.catalog, r, resolved);
  const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
  switch (fn) {
    case 'COUNT':
      // a record's own Id is never empty: COUNT(Id) counts rows without reading it
      if (resolved.references.length === 0 && resolved.field.type === 'id') return accumulator(env, fn, undefined);
      return () => {
        let n = 0;
        return { add: (r) => void (present(read(r)) && n++), value: () => n };
      };
    case 'COUNT_DISTINCT':
      return () => {
        const seen = new Set<string | number>();
        return {
          add: (r) => {
            const key = sortKey(resolved.field, read(r));
            if (key !== null) seen.add(key);
          },
          value: () => seen.size,
        };
      };
    case 'MAX':
    case 'MIN':
      return () => {
        let best: { key: string | number; raw: unknown } | undefined;
        return {
          add: (r) => {
            const raw = read(r);
            const key = sortKey(resolved.field, raw);
            if (key === null) return;
            if (!best || (fn === 'MAX' ? key > best.key : key < best.key)) best = { key, raw };
          },
          value: () => (best ? formatValue(resolved.field, best.raw) : null),
        };
      };
    default:
      return () => {
        let sum = 0;
        let n = 0;
        return {
          add: (r) => {
            const v = read(r);
            if (typeof v === 'number') {
              sum += v;
              n++;
            }
          },
          value: () => (n === 0 ? null : fn === 'SUM' ? sum : sum / n),
        };
      };
  }
}

/**
 * Aggregate queries: `COUNT()` (a count, no rows), or AggregateResult rows of grouped fields and aggregate
 * functions (alias or `expr0`, `expr1`, …). Rows are folded into per-group accumulators as they are scanned,
 * so memory grows with the groups, not the rows. Names are checked in query order (SELECT, WHERE, GROUP BY,
 * ORDER BY); GROUP BY only groupable fields; at most AGGREGATE_ROW_LIMIT rows (no query locator).
 */
function aggregate(env: Env, object: SObjectDef, query: SoqlQuery): QueryResult {
  const countAll = query.select.find((item): item is AggregateItem => item.kind === 'aggregate' && item.fn === 'COUNT' && !item.field);
  if (countAll) {
    if (query.select.length > 1 || query.groupBy.length > 0) {
      throw queryError('MALFORMED_QUERY', env.soql, countAll.pos, 'COUNT() must be the only element in the SELECT list.', 'COUNT()'.length);
    }
    const predicate = wherePredicate(env, object, query);
    let n = 0;
    for (const record of scan(env, object.name)) if (predicate(record)) n++;
    const start = query.offset?.value ?? 0;
    return { totalSize: Math.max(0, Math.min(n - start, query.limit ?? Infinity)), records: [] };
  }
  let unaliased = 0;
  const selected = query.select.map((item) => {
    if (item.kind === 'subquery') throw malformed(env.soql, item.pos, '(');
    if (item.kind === 'fields') throw malformed(env.soql, item.pos, 'FIELDS');
    if (item.kind === 'field') return { item, resolved: resolvePath(env, object, item.path) };
    const resolved = item.field ? resolvePath(env, object, item.field) : undefined;
    const allowed = AGGREGATE_TYPES[item.fn];
    if (resolved && allowed && !allowed.includes(resolved.field.type)) {
      throw queryError('MALFORMED_QUERY', env.soql, resolved.path.pos, `field ${resolved.field.name} does not support aggregate operator ${item.fn}`, resolved.field.name.length);
    }
    return { item, resolved, name: item.alias ?? `expr${unaliased++}` };
  });
  const predicate = wherePredicate(env, object, query);
  const grouped = query.groupBy.map((path) => {
    const resolved = resolvePath(env, object, path);
    if (!isGroupable(resolved.field)) {
      throw queryError('INVALID_FIELD', env.soql, path.pos, `field '${resolved.field.name}' can not be grouped in a query call`, resolved.field.name.length);
    }
    return resolved;
  });
  const groupedKeys = new Set(grouped.map((g) => g.canonical.toLowerCase()));
  const mustBeGrouped = (what: string) => (resolved: ResolvedPath) => {
    if (!groupedKeys.has(resolved.canonical.toLowerCase())) {
      throw queryError('MALFORMED_QUERY', env.soql, resolved.path.pos, `${what} must be grouped or aggregated: ${resolved.canonical}`);
    }
  };
  const columns = selected.map((column) => {
    if (column.item.kind === 'field') {
      const resolved = column.resolved as ResolvedPath;
      mustBeGrouped('Field')(resolved);
      return { name: resolved.field.name, grouped: resolved };
    }
    return { name: (column as { name: string }).name, make: accumulator(env, column.item.fn, column.resolved) };
  });
  const order = comparator(env, object, query.orderBy, mustBeGrouped('Ordered field'));

  type Group = { first: SRecord; accumulators: Accumulator[] };
  const newGroup = (record: SRecord): Group => ({ first: keep(record), accumulators: columns.flatMap((c) => (c.make ? [c.make()] : [])) });
  const groups = new Map<string, Group>();
  for (const record of scan(env, object.name)) {
    if (!predicate(record)) continue;
    const key =
      grouped.length === 0
        ? ''
        : grouped.length === 1
          ? singleKey(sortKey(grouped[0].field, readPath(env.catalog, record, grouped[0])))
          : JSON.stringify(grouped.map((g) => sortKey(g.field, readPath(env.catalog, record, g))));
    let group = groups.get(key);
    if (!group) {
      group = newGroup(record);
      groups.set(key, group);
    }
    for (const a of group.accumulators) a.add(record);
  }
  if (grouped.length === 0 && groups.size === 0) groups.set('', { first: { Id: '' }, accumulators: columns.flatMap((c) => (c.make ? [c.make()] : [])) });
  let list = [...groups.values()];
  if (order) list.sort((a, b) => order(a.first, b.first));
  list = window(list, query);
  if (list.length > AGGREGATE_ROW_LIMIT) {
    throw new SalesforceError('EXCEEDED_ID_LIMIT', 'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch');
  }
  const records = list.map((group) => {
    const out: Row = { attributes: { type: 'AggregateResult' } };
    let a = 0;
    for (const column of columns) {
      out[column.name] = column.grouped ? formatValue(column.grouped.field, readPath(env.catalog, group.first, column.grouped)) : group.accumulators[a++].value();
    }
    return out;
  });
  return { totalSize: records.length, records };
}

/** A group key of one grouped value (null apart from every text). */
function singleKey(key: string | number | null): string {
  return key === null ? '\u0000' : `${typeof key}:${key}`;
}

/** The object's records, through the catalog's scan when it has one (rows may be transient: `keep` them). */
function scan(env: Env, objectName: string): Iterable<SRecord> {
  return env.catalog.scan ? env.catalog.scan(objectName) : env.catalog.records(objectName);
}
