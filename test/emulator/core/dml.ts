/**
 * One-record writes (insert / update / delete), each atomic: fault counting, object and running-user access,
 * field checks, the object's rules, audit fields. Used by sObject REST, composite and collections.
 */
import type { Context } from './context.js';
import { checkFields } from './fields.js';
import { isValidId } from './ids.js';
import { accessOf, type ObjectRules, type WriteOperation as Operation } from './model.js';
import { fieldDef, SalesforceError, type SObjectDef, type SRecord } from './types.js';

const rulesOf = (ctx: Context, def: SObjectDef): ObjectRules | undefined => ctx.model.rules?.[def.name];

const OPERATION_WORD: Record<Operation, string> = { insert: 'inserted', update: 'updated', delete: 'deleted' };

function allowed(def: SObjectDef, op: Operation): boolean {
  return op === 'insert' ? def.createable === true : op === 'update' ? def.updateable === true : def.deletable === true;
}

function checkOperation(ctx: Context, def: SObjectDef, op: Operation): void {
  if (!allowed(def, op)) {
    throw new SalesforceError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be ${OPERATION_WORD[op]}: ${def.label ?? def.name}`);
  }
  accessOf(ctx).checkWrite(ctx, def, op);
}

/** Runs `write` so that nothing it did survives a failure. */
function atomic<T>(ctx: Context, write: () => T): T {
  const mark = ctx.db.savepoint();
  try {
    return write();
  } catch (e) {
    ctx.db.rollbackTo(mark);
    throw e;
  }
}

function auditFields(ctx: Context, def: SObjectDef, insert: boolean): Record<string, unknown> {
  const at = ctx.now().toISOString();
  const values: Record<string, unknown> = {};
  const set = (name: string, value: unknown): void => {
    if (fieldDef(def, name)) values[name] = value;
  };
  if (insert) {
    set('CreatedDate', at);
    set('CreatedById', ctx.org.userId);
  }
  set('LastModifiedDate', at);
  set('LastModifiedById', ctx.org.userId);
  set('SystemModstamp', at);
  return values;
}

/** Every field of the object absent from `values` becomes null (booleans false), as stored records have all fields. */
function withAllFields(def: SObjectDef, values: Record<string, unknown>): Record<string, unknown> {
  const full: Record<string, unknown> = {};
  for (const f of def.fields) if (f.name !== 'Id') full[f.name] = f.type === 'boolean' ? false : null;
  return { ...full, ...values };
}

export function insertRecord(ctx: Context, def: SObjectDef, body: unknown): SRecord {
  return atomic(ctx, () => {
    ctx.faults.countWrite();
    checkOperation(ctx, def, 'insert');
    const rules = rulesOf(ctx, def);
    const values = checkFields(ctx.db, def, body, 'insert');
    const prepared = rules?.insert ? rules.insert(ctx, values) : values;
    const record = ctx.db.insert(def.name, withAllFields(def, { ...prepared, ...auditFields(ctx, def, true) }));
    rules?.afterInsert?.(ctx, record);
    return record;
  });
}

/** The stored record of `def` with this Id: MALFORMED_ID (400) for a bad Id, NOT_FOUND (404) for another type or none. */
export function findRecord(ctx: Context, def: SObjectDef, id: string): SRecord {
  if (!isValidId(id)) throw new SalesforceError('MALFORMED_ID', `malformed id ${id}`, 400);
  const found = ctx.db.byId(id);
  if (!found || found.type !== def.name) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
  return found.record;
}

export function updateRecord(ctx: Context, def: SObjectDef, record: SRecord, body: unknown): void {
  atomic(ctx, () => {
    ctx.faults.countWrite();
    checkOperation(ctx, def, 'update');
    const values = checkFields(ctx.db, def, body, 'update');
    const rules = rulesOf(ctx, def);
    const changes = rules?.update ? rules.update(ctx, record, values) : values;
    ctx.db.update(record, { ...changes, ...auditFields(ctx, def, false) });
    rules?.afterUpdate?.(ctx, record, changes);
  });
}

export function deleteRecord(ctx: Context, def: SObjectDef, record: SRecord): void {
  atomic(ctx, () => {
    ctx.faults.countWrite();
    checkOperation(ctx, def, 'delete');
    rulesOf(ctx, def)?.delete?.(ctx, record);
    ctx.db.delete(record.Id);
    rulesOf(ctx, def)?.afterDelete?.(ctx, record);
  });
}
