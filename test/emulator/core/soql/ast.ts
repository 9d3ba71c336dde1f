/** The parsed form of a SOQL query. Names are as written; `pos` is the offset of the name in the query text. */

export type Name = { name: string; pos: number };

/** `Name`, `Profile.Name`, `Profile.UserLicense.Name`: one or more dotted names. */
export type FieldPath = { parts: Name[]; pos: number };

export type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'MAX' | 'MIN' | 'SUM' | 'AVG';

/** `COUNT()`, `COUNT(field)`, `MAX(field) alias`, …: `field` is absent only for `COUNT()`. */
export type AggregateItem = { kind: 'aggregate'; fn: AggregateFunction; field?: FieldPath; alias?: string; pos: number };

/** `FIELDS(STANDARD)` / `FIELDS(ALL)`: every (standard) field of the object. */
export type FieldsItem = { kind: 'fields'; which: 'STANDARD' | 'ALL'; pos: number };

export type SelectItem =
  | { kind: 'field'; path: FieldPath }
  | FieldsItem
  | { kind: 'subquery'; query: SoqlQuery; pos: number }
  | AggregateItem;

export type DateLiteral = { kind: 'dateLiteral'; name: string; n?: number; pos: number };

export type Literal =
  | { kind: 'string'; value: string; raw: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  | { kind: 'date'; value: string; pos: number }
  | { kind: 'datetime'; value: string; pos: number }
  | DateLiteral;

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldPath; op: ComparisonOperator; value: Literal }
  | { kind: 'like'; field: FieldPath; pattern: Literal }
  | { kind: 'in'; field: FieldPath; negated: boolean; values: Literal[] }
  | { kind: 'semiJoin'; field: FieldPath; negated: boolean; query: SoqlQuery; pos: number }
  | { kind: 'includes'; field: FieldPath; negated: boolean; values: Literal[] };

export type OrderItem = { path: FieldPath; descending: boolean; nullsLast: boolean };

export type SoqlQuery = {
  select: SelectItem[];
  from: Name;
  where?: Condition;
  groupBy: FieldPath[];
  orderBy: OrderItem[];
  limit?: number;
  offset?: { value: number; pos: number };
};
