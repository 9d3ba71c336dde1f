/** Resolving names against the schema: objects, field paths through parent relationships, and reading them. */
import type { FieldDef, SObjectDef, SoqlCatalog, SRecord } from '../types.js';
import type { FieldPath } from './ast.js';
import { noSuchColumn, queryError } from './errors.js';

export type Scope = { catalog: SoqlCatalog; soql: string };

/** A path resolved to canonical names: the reference fields followed, then the field read. */
export type ResolvedPath = {
  /** Reference fields followed, in order (e.g. `ProfileId`, then `UserLicenseId`). */
  references: FieldDef[];
  field: FieldDef;
  /** Canonical spelling, e.g. `Profile.UserLicense.Name`; lower-cased it identifies the column. */
  canonical: string;
  path: FieldPath;
};

export function resolvePath(scope: Scope, object: SObjectDef, path: FieldPath): ResolvedPath {
  let candidates = [object];
  let entity = object.name;
  const references: FieldDef[] = [];
  const names: string[] = [];
  for (const [i, part] of path.parts.entries()) {
    const last = i === path.parts.length - 1;
    const key = part.name.toLowerCase();
    const found = candidates
      .flatMap((def) => def.fields)
      .find((f) => (last ? f.name.toLowerCase() === key : f.relationshipName?.toLowerCase() === key));
    if (!found) throw noSuchColumn(scope.soql, part.pos, part.name, entity);
    if (last) {
      names.push(found.name);
      return { references, field: found, canonical: names.join('.'), path };
    }
    const targets = found.referenceTo ?? [];
    const next = targets.flatMap((name) => scope.catalog.describe(name) ?? []);
    // a relationship to an object the catalog does not expose (e.g. one the running user cannot read) does not exist
    if (next.length === 0) throw noSuchColumn(scope.soql, part.pos, part.name, entity);
    references.push(found);
    names.push(found.relationshipName ?? found.name);
    candidates = next;
    // a polymorphic relationship exposes the fields of the `Name` entity
    entity = targets.length === 1 ? candidates[0]?.name ?? targets[0] : 'Name';
  }
  throw new Error('empty path');
}

/** The parent a reference field of the record points to, or undefined when empty or dangling. */
export function follow(catalog: SoqlCatalog, record: SRecord, reference: FieldDef): { type: string; record: SRecord } | undefined {
  const id = record[reference.name];
  return typeof id === 'string' && id !== '' ? catalog.byId(id) : undefined;
}

/** Reads a resolved path from a record; undefined when a parent on the way is empty. */
export function readPath(catalog: SoqlCatalog, record: SRecord, resolved: ResolvedPath): unknown {
  let current: SRecord | undefined = record;
  for (const reference of resolved.references) {
    current = follow(catalog, current, reference)?.record;
    if (!current) return undefined;
  }
  return current[resolved.field.name];
}

/** WHERE and ORDER BY refuse fields that are not filterable, as Salesforce does (e.g. `LoginHistory.Status`). */
export function assertFilterable(scope: Scope, resolved: ResolvedPath, verb: 'filtered' | 'sorted'): void {
  const allowed = verb === 'sorted' ? (resolved.field.sortable ?? resolved.field.filterable !== false) : resolved.field.filterable !== false;
  if (allowed) return;
  const name = resolved.field.name;
  throw queryError('INVALID_FIELD', scope.soql, resolved.path.pos, `field '${name}' can not be ${verb} in a query call`, name.length);
}

export function isIdType(field: FieldDef): boolean {
  return field.type === 'id' || field.type === 'reference';
}

/** A stored scalar as text (stored values are strings, numbers or booleans). */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
