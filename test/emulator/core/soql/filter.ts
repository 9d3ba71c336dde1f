/** Compiles a WHERE condition into a predicate over records, type-checking literals against the fields. */
import type { FieldDef, SObjectDef, SRecord } from '../types.js';
import { isValidId } from '../ids.js';
import type { ComparisonOperator, Condition, Literal, SoqlQuery } from './ast.js';
import { dateLiteralRange, dayRange, toMillis, type Range } from './dates.js';
import { malformed, queryError } from './errors.js';
import { assertFilterable, isIdType, readPath, resolvePath, textOf, type ResolvedPath, type Scope } from './resolve.js';

export type Predicate = (record: SRecord) => boolean;

export type FilterScope = Scope & {
  now: Date;
  /** Runs a semi-join sub-select of a query on `outer`; returns the 15-character Ids it selects. */
  semiJoin: (query: SoqlQuery, pos: number, outer: SObjectDef) => Set<string>;
};

export function compileCondition(scope: FilterScope, object: SObjectDef, condition: Condition): Predicate {
  switch (condition.kind) {
    case 'and': {
      const items = condition.items.map((c) => compileCondition(scope, object, c));
      return (r) => items.every((p) => p(r));
    }
    case 'or': {
      const semiJoin = condition.items.map(findSemiJoin).find((c) => c !== undefined);
      if (semiJoin) throw queryError('MALFORMED_QUERY', scope.soql, semiJoin.pos, "Semi join sub-selects are not allowed with the 'OR' operator");
      const items = condition.items.map((c) => compileCondition(scope, object, c));
      return (r) => items.some((p) => p(r));
    }
    case 'not': {
      const item = compileCondition(scope, object, condition.item);
      return (r) => !item(r);
    }
    default:
      return compileSimple(scope, object, condition);
  }
}

function compileSimple(scope: FilterScope, object: SObjectDef, condition: Exclude<Condition, { kind: 'and' | 'or' | 'not' }>): Predicate {
  const resolved = resolvePath(scope, object, condition.field);
  assertFilterable(scope, resolved, 'filtered');
  const read = (r: SRecord): unknown => readPath(scope.catalog, r, resolved);
  switch (condition.kind) {
    case 'compare': {
      const test = comparison(scope, resolved, condition.op, condition.value);
      return (r) => test(read(r));
    }
    case 'in': {
      // A large IN list (300 Ids is common) is answered from a set of keys, as an index would, rather than
      // by comparing each record with every literal; dates and null/'' literals keep the general path.
      const keys = DATE_TYPE[resolved.field.type] ? null : condition.values.map((v) => (v.kind === 'null' ? null : literalKey(scope, resolved.field, v)));
      if (keys && !keys.includes(null)) {
        const set = new Set(keys);
        return (r) => {
          const value = read(r);
          return (!isBlank(value) && set.has(valueKey(resolved.field, value))) !== condition.negated;
        };
      }
      const tests = condition.values.map((v) => comparison(scope, resolved, '=', v));
      return (r) => {
        const value = read(r);
        return tests.some((t) => t(value)) !== condition.negated;
      };
    }
    case 'like': {
      const pattern = likePattern(scope, resolved, condition.pattern);
      return (r) => {
        const value = read(r);
        return typeof value === 'string' && pattern.test(value);
      };
    }
    case 'includes': {
      const groups = includesGroups(scope, resolved, condition.values);
      return (r) => {
        const present = new Set(splitMulti(read(r)));
        const any = groups.some((group) => group.every((v) => present.has(v)));
        return any !== condition.negated;
      };
    }
    case 'semiJoin': {
      if (!isIdType(resolved.field)) {
        throw queryError('INVALID_FIELD', scope.soql, condition.field.pos, `semi join sub-selects are only supported on Id fields, cannot use: '${resolved.field.name}'`);
      }
      const ids = scope.semiJoin(condition.query, condition.pos, object);
      return (r) => {
        const value = read(r);
        return (typeof value === 'string' && ids.has(value.slice(0, 15))) !== condition.negated;
      };
    }
  }
}

type SemiJoin = Extract<Condition, { kind: 'semiJoin' }>;

function findSemiJoin(condition: Condition): SemiJoin | undefined {
  switch (condition.kind) {
    case 'semiJoin':
      return condition;
    case 'and':
    case 'or':
      return condition.items.map(findSemiJoin).find((c) => c !== undefined);
    case 'not':
      return findSemiJoin(condition.item);
    default:
      return undefined;
  }
}

type Test = (value: unknown) => boolean;

const DATE_TYPE: Partial<Record<FieldDef['type'], string>> = { date: 'date', datetime: 'dateTime' };
const NUMBER_TYPE: Partial<Record<FieldDef['type'], string>> = { int: 'integer', double: 'double' };

/** `field op literal` for one field type, with Salesforce's treatment of null and '' (no value). */
function comparison(scope: FilterScope, resolved: ResolvedPath, op: ComparisonOperator, literal: Literal): Test {
  const field = resolved.field;
  if (literal.kind === 'null') {
    if (op !== '=' && op !== '!=') throw malformed(scope.soql, literal.pos, 'null');
    return (v) => isBlank(v) === (op === '=');
  }
  const dateType = DATE_TYPE[field.type];
  if (dateType) return rangeComparison(op, literalRange(scope, field, dateType, literal), field.type === 'date');
  const key = literalKey(scope, field, literal);
  if (key === null) return (v) => isBlank(v) === (op === '=');
  return (v) => {
    if (isBlank(v)) return op === '!=';
    const c = compareKeys(valueKey(field, v), key);
    return OPS[op](c);
  };
}

const OPS: Record<ComparisonOperator, (c: number) => boolean> = {
  '=': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

function rangeComparison(op: ComparisonOperator, range: Range, dateOnly: boolean): Test {
  return (v) => {
    if (isBlank(v)) return op === '!=';
    const ms = toMillis(dateOnly ? textOf(v).slice(0, 10) : textOf(v));
    switch (op) {
      case '=':
        return ms >= range.start && ms < range.end;
      case '!=':
        return ms < range.start || ms >= range.end;
      case '<':
        return ms < range.start;
      case '<=':
        return ms < range.end;
      case '>':
        return ms >= range.end;
      case '>=':
        return ms >= range.start;
    }
  };
}

function literalRange(scope: FilterScope, field: FieldDef, typeName: string, literal: Literal): Range {
  if (literal.kind === 'dateLiteral') return dateLiteralRange(literal.name, literal.n ?? 0, scope.now);
  if (literal.kind === 'date' && field.type === 'date') return dayRange(literal.value);
  if (literal.kind === 'datetime' && field.type === 'datetime') {
    const start = Date.parse(literal.value);
    return { start, end: start + 1 };
  }
  throw wrongType(scope, field, typeName, literal);
}

type Key = string | number;

/** The comparable form of a literal for the field's type; null for '' on a text field (no value). */
function literalKey(scope: FilterScope, field: FieldDef, literal: Literal): Key | null {
  if (isIdType(field)) {
    if (literal.kind !== 'string') throw wrongType(scope, field, 'id', literal);
    if (!isValidId(literal.value)) throw queryError('INVALID_QUERY_FILTER_OPERATOR', scope.soql, literal.pos, `invalid ID field: ${literal.value}`);
    return literal.value.slice(0, 15);
  }
  if (field.type === 'boolean') {
    if (literal.kind !== 'boolean') throw wrongType(scope, field, 'boolean', literal);
    return literal.value ? 1 : 0;
  }
  const numberType = NUMBER_TYPE[field.type];
  if (numberType) {
    if (literal.kind !== 'number') throw wrongType(scope, field, numberType, literal);
    return literal.value;
  }
  if (literal.kind !== 'string') throw wrongType(scope, field, 'string', literal);
  if (field.type === 'multipicklist') return splitMulti(literal.value).sort().join(';');
  return literal.value === '' ? null : literal.value.toLowerCase();
}

function valueKey(field: FieldDef, value: unknown): Key {
  if (isIdType(field)) return textOf(value).slice(0, 15);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (field.type === 'multipicklist') return splitMulti(value).sort().join(';');
  return textOf(value).toLowerCase();
}

function compareKeys(a: Key, b: Key): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function wrongType(scope: FilterScope, field: FieldDef, typeName: string, literal: Literal): Error {
  const quoting = typeName === 'string' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  return queryError('INVALID_FIELD', scope.soql, literal.pos, `value of filter criterion for field '${field.name}' must be of type ${typeName} and ${quoting}`);
}

const TEXT_TYPES = new Set<FieldDef['type']>(['string', 'textarea', 'email', 'picklist', 'multipicklist', 'id', 'reference']);

/** LIKE: `%` any run, `_` one character, `\%` `\_` literal, case-insensitive, whole value. */
function likePattern(scope: FilterScope, resolved: ResolvedPath, literal: Literal): RegExp {
  if (!TEXT_TYPES.has(resolved.field.type)) {
    throw queryError('INVALID_FIELD', scope.soql, resolved.path.pos, `invalid operator on field '${resolved.field.name}': LIKE`);
  }
  if (literal.kind !== 'string') throw wrongType(scope, resolved.field, 'string', literal);
  let source = '';
  for (let i = 0; i < literal.raw.length; i++) {
    const c = literal.raw.charAt(i);
    if (c === '\\') {
      const next = literal.raw.charAt(++i);
      source += escapeRegExp({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }[next] ?? next);
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'is');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function includesGroups(scope: FilterScope, resolved: ResolvedPath, values: Literal[]): string[][] {
  if (resolved.field.type !== 'multipicklist') {
    throw queryError('INVALID_FIELD', scope.soql, resolved.path.pos, 'includes or excludes operator only valid on multipicklist field');
  }
  return values.map((literal) => {
    if (literal.kind !== 'string') throw wrongType(scope, resolved.field, 'string', literal);
    return splitMulti(literal.value);
  });
}

/** Multi-select picklist values, lower-cased (matching ignores case). */
function splitMulti(value: unknown): string[] {
  if (typeof value !== 'string' || value === '') return [];
  return value.split(';').map((v) => v.trim().toLowerCase());
}
