/**
 * Shared types of the org emulator: the object schema (what `describe` returns and what SOQL may name)
 * and the catalog interface the SOQL engine reads records through.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'date'
  | 'datetime'
  | 'reference';

export type FieldDef = {
  /** Canonical API name, e.g. `ProfileId`. SOQL matches it case-insensitively; responses use this spelling. */
  name: string;
  type: FieldType;
  label?: string;
  /** For `reference` fields: the object(s) it points to (more than one = polymorphic). */
  referenceTo?: string[];
  /** For `reference` fields: the parent relationship name used in SOQL paths, e.g. `Profile` for `ProfileId`. */
  relationshipName?: string;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  /** Defaults to true. `false` makes a WHERE on the field fail like Salesforce does (e.g. LoginHistory.Status). */
  filterable?: boolean;
  /** ORDER BY allowed; defaults to `filterable` (LoginHistory's Group fields are Sort but not Filter). */
  sortable?: boolean;
  /** GROUP BY allowed; default by type (not datetime / textarea / double, and not for non-filterable fields unless set). */
  groupable?: boolean;
  length?: number;
  picklistValues?: string[];
};

export type ChildRelationshipDef = {
  /** e.g. `PermissionSetAssignments` on User */
  relationshipName: string;
  /** e.g. `PermissionSetAssignment` */
  childSObject: string;
  /** The child's reference field pointing at the parent, e.g. `AssigneeId` */
  field: string;
};

export type SObjectDef = {
  name: string;
  label?: string;
  /** Three-character Id prefix, e.g. `005` for User. */
  keyPrefix: string;
  fields: FieldDef[];
  childRelationships: ChildRelationshipDef[];
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  queryable?: boolean;
  /**
   * Most rows a single query may return in total (OauthToken: 2500), and the page size for this object
   * (OauthToken: 500). Undefined = no cap, page size from the query options (default 2000).
   */
  maxQueryRows?: number;
  pageSize?: number;
};

/** Field by name, case-insensitive. */
export function fieldDef(def: SObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return def.fields.find((f) => f.name.toLowerCase() === lower);
}

/** Whether GROUP BY may name the field (describe's `groupable`). */
export function isGroupable(field: FieldDef): boolean {
  return field.groupable ?? (!['datetime', 'textarea', 'double'].includes(field.type) && field.filterable !== false);
}

/** A stored record: field values by canonical field name. Every record has an 18-character `Id`. */
export type SRecord = { Id: string } & Record<string, unknown>;

/** What the SOQL engine needs from the emulator's data store. */
export type SoqlCatalog = {
  /** Object definition by name, case-insensitive; undefined for an unknown object. */
  describe(objectName: string): SObjectDef | undefined;
  /** Every stored record of the object (insertion order). */
  records(objectName: string): readonly SRecord[];
  /**
   * The same records as an iterable, for large objects: it may yield one reused (transient) row object,
   * valid until the next step; copy it (`{...row}`) to keep it. Optional: without it, `records` is used.
   */
  scan?(objectName: string): Iterable<SRecord>;
  /** Any record by Id (15 or 18 characters), with its object name; used to follow (polymorphic) references. */
  byId(id: string): { type: string; record: SRecord } | undefined;
};

/** An error the emulator answers with: HTTP status plus Salesforce's errorCode and message. */
export class SalesforceError extends Error {
  public constructor(
    public readonly errorCode: string,
    message: string,
    public readonly status = 400,
    public readonly fields: string[] = []
  ) {
    super(message);
    this.name = 'SalesforceError';
  }
}

const transientRows = new WeakSet<object>();

/** Marks a reused row object of a scan (see SoqlCatalog.scan). */
export function markTransient(row: object): void {
  transientRows.add(row);
}

/** The row itself, or a copy when it is a scan's reused row object. */
export function keep(row: SRecord): SRecord {
  return transientRows.has(row) ? { ...row } : row;
}
