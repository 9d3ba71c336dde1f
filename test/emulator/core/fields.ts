/**
 * Field-level checks of a write body, in Salesforce's order: unknown fields and value types (deserialisation),
 * field access (create/update), then lengths, picklists, emails and references. Returns canonical names.
 */
import type { Db } from './db.js';
import { isObject, jsonParserError } from './http.js';
import { isValidId, to18 } from './ids.js';
import { fieldDef, SalesforceError, type FieldDef, type SObjectDef } from './types.js';

export type WriteMode = 'insert' | 'update';

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** Validates a write body against the object's fields; returns the values by canonical field name. */
export function checkFields(db: Db, def: SObjectDef, body: unknown, mode: WriteMode): Record<string, unknown> {
  if (!isObject(body)) throw jsonParserError(`Cannot deserialize instance of ${def.name} from ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE'} token`);
  const values: Record<string, unknown> = {};
  const fields: FieldDef[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const field = fieldDef(def, key);
    if (!field) throw new SalesforceError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`);
    if (field.name === 'Id' && mode === 'insert') throw new SalesforceError('INVALID_FIELD', 'cannot specify Id in an insert call', 400, ['Id']);
    checkJsonType(field, value);
    fields.push(field);
    values[field.name] = value;
  }
  const denied = fields.filter((f) => (mode === 'insert' ? f.createable !== true : f.updateable !== true)).map((f) => f.name);
  if (denied.length > 0) {
    throw new SalesforceError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${denied.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      400,
      denied
    );
  }
  for (const field of fields) values[field.name] = checkValue(db, field, values[field.name]);
  return values;
}

function checkJsonType(field: FieldDef, value: unknown): void {
  if (value === null) return;
  const expected = field.type === 'boolean' ? 'boolean' : field.type === 'int' || field.type === 'double' ? 'number' : 'string';
  if (typeof value === expected) return;
  const token = typeof value === 'object' ? (Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT') : `VALUE_${typeof value === 'number' ? 'NUMBER_INT' : typeof value === 'boolean' ? String(value).toUpperCase() : 'STRING'}`;
  throw jsonParserError(`Cannot deserialize instance of ${expected === 'number' ? 'int' : expected} from ${token} value ${JSON.stringify(value)} or request may be missing a required field at [line:1, column:1]`);
}

function checkValue(db: Db, field: FieldDef, value: unknown): unknown {
  if (value === null || value === '') return null;
  const label = field.label ?? field.name;
  if (typeof value !== 'string') return value;
  if (field.length !== undefined && field.type !== 'reference' && value.length > field.length) {
    throw new SalesforceError('STRING_TOO_LONG', `${label}: data value too large: ${value} (max length=${field.length})`, 400, [field.name]);
  }
  if (field.type === 'picklist' && field.picklistValues && !field.picklistValues.includes(value)) {
    throw new SalesforceError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${label}: bad value for restricted picklist field: ${value}`, 400, [field.name]);
  }
  if (field.type === 'email' && !isEmail(value)) {
    throw new SalesforceError('INVALID_EMAIL_ADDRESS', `${label}: invalid email address: ${value}`, 400, [field.name]);
  }
  if (field.type === 'datetime' && Number.isNaN(Date.parse(value))) {
    throw jsonParserError(`Cannot deserialize instance of datetime from VALUE_STRING value ${value} or request may be missing a required field at [line:1, column:1]`);
  }
  if (field.type === 'reference') return checkReference(db, field, value);
  return value;
}

function checkReference(db: Db, field: FieldDef, value: string): string {
  if (!isValidId(value)) {
    throw new SalesforceError('MALFORMED_ID', `${field.label ?? field.name}: id value of incorrect type: ${value}`, 400, [field.name]);
  }
  const target = db.byId(value);
  if (!target || !(field.referenceTo ?? []).includes(target.type)) {
    throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', 400, [field.name]);
  }
  return to18(value);
}

/** REQUIRED_FIELD_MISSING for the listed fields that are absent or empty in `values`. */
export function requireFields(values: Record<string, unknown>, required: string[]): void {
  const missing = required.filter((name) => values[name] === undefined || values[name] === null || values[name] === '');
  if (missing.length > 0) {
    throw new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, 400, missing);
  }
}
