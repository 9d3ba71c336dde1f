/**
 * What the emulator's core (HTTP, routing, SOQL, DML, composite, faults) needs to know about the org it
 * emulates, handed in by the org part: its objects, the rules of their writes, who may read and write
 * what, routes of its own, and fields computed from other records. The core imports nothing else of the
 * org part; everything it knows about Salesforce's objects comes through an OrgModel.
 */
import type { Context } from './context.js';
import type { Db } from './db.js';
import type { ApiRequest, ApiResponse } from './http.js';
import type { SObjectDef, SoqlCatalog, SRecord } from './types.js';

export type WriteOperation = 'insert' | 'update' | 'delete';

/** One object's DML rules, run after the generic field checks (fields.ts) inside the write's savepoint. */
export type ObjectRules = {
  /** Validates an insert and returns the full record to store (defaults and computed fields added). */
  insert?(ctx: Context, values: Record<string, unknown>): Record<string, unknown>;
  /** Side effects once the record is stored (e.g. the UserLogin row of a new user). */
  afterInsert?(ctx: Context, record: SRecord): void;
  /** Validates an update; returns the changes to apply (computed fields added). */
  update?(ctx: Context, record: SRecord, values: Record<string, unknown>): Record<string, unknown>;
  /** Side effects once the update is stored (e.g. a group's recalculation). */
  afterUpdate?(ctx: Context, record: SRecord, changes: Record<string, unknown>): void;
  delete?(ctx: Context, record: SRecord): void;
  /** Side effects once the record is gone. */
  afterDelete?(ctx: Context, record: SRecord): void;
};

/** Who may read and write what: the running user's rights. Without one, everything is allowed. */
export type AccessModel = {
  /** Whether the running user can see the object at all (describe, sObject GET). */
  canRead(ctx: Context, objectName: string): boolean;
  /** Throws (e.g. INSUFFICIENT_ACCESS_OR_READONLY) when the running user may not make this write. */
  checkWrite(ctx: Context, def: SObjectDef, op: WriteOperation): void;
  /** The catalog SOQL runs over for the running user (hidden objects and rows, computed objects). */
  queryCatalog(ctx: Context): SoqlCatalog;
};

/**
 * A route of the org's own, tried before the core's. `data` is set for `/services/data/vNN.0/…` paths (after
 * the version and API-enabled checks); undefined for other paths. Returns undefined when the path is not its.
 */
export type OrgRoute = (ctx: Context, req: ApiRequest, data: { version: string; segments: string[] } | undefined) => ApiResponse | undefined;

/** Fields derived from other records (e.g. seat counts), refreshed before a read after a write to `inputs`. */
export type ComputedFields = { inputs: readonly string[]; refresh(db: Db): void };

export type OrgModel = {
  /** Every object the org has (describe, SOQL, DML, Id prefixes). */
  objects: readonly SObjectDef[];
  /** DML rules by object name. */
  rules?: Readonly<Record<string, ObjectRules>>;
  access?: AccessModel;
  routes?: readonly OrgRoute[];
  computed?: ComputedFields;
  /**
   * `mixedDml: 'reject'`: a composite that writes objects of both groups fails with MIXED_DML_OPERATION
   * (e.g. User, and PermissionSetAssignment / PermissionSetLicenseAssign).
   */
  mixedDmlGroups?: readonly [readonly string[], readonly string[]];
};

/** Everything readable and writable (an OrgModel without access rules). */
const OPEN_ACCESS: AccessModel = {
  canRead: () => true,
  checkWrite: () => undefined,
  queryCatalog: (ctx) => ctx.db,
};

/** The model's access rules, or open access. */
export function accessOf(ctx: Context): AccessModel {
  return ctx.model.access ?? OPEN_ACCESS;
}
