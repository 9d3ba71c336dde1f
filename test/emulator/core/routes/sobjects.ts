/** sObject REST: global describe, basic info, describe, insert, and retrieve / update / delete by Id. */
import type { Context } from '../context.js';
import { deleteRecord, findRecord, insertRecord, updateRecord } from '../dml.js';
import { methodNotAllowed, notFound, text, type ApiRequest, type ApiResponse } from '../http.js';
import { accessOf } from '../model.js';
import { fieldDef, isGroupable, SalesforceError, type FieldDef, type SObjectDef, type SRecord } from '../types.js';

const canRead = (ctx: Context, objectName: string): boolean => accessOf(ctx).canRead(ctx, objectName);

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function basicInfo(def: SObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return {
    name: def.name,
    label: def.label ?? def.name,
    labelPlural: `${def.label ?? def.name}s`,
    keyPrefix: def.keyPrefix,
    custom: false,
    customSetting: false,
    createable: def.createable === true,
    updateable: def.updateable === true,
    deletable: def.deletable === true,
    queryable: def.queryable !== false,
    retrieveable: true,
    searchable: false,
    layoutable: false,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}

function describeField(field: FieldDef): Record<string, unknown> {
  return {
    name: field.name,
    label: field.label ?? field.name,
    type: field.type,
    soapType: SOAP_TYPES[field.type],
    length: field.length ?? 0,
    nillable: field.nillable !== false,
    createable: field.createable === true,
    updateable: field.updateable === true,
    filterable: field.filterable !== false,
    sortable: field.sortable ?? field.filterable !== false,
    groupable: isGroupable(field),
    custom: false,
    unique: false,
    externalId: false,
    idLookup: field.name === 'Id' || field.name === 'Username',
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    restrictedPicklist: field.type === 'picklist',
    picklistValues: (field.picklistValues ?? []).map((value) => ({ active: true, defaultValue: false, label: value, validFor: null, value })),
  };
}

function describe(def: SObjectDef, version: string): Record<string, unknown> {
  return {
    ...basicInfo(def, version),
    fields: def.fields.map(describeField),
    childRelationships: def.childRelationships.map((c) => ({
      childSObject: c.childSObject,
      field: c.field,
      relationshipName: c.relationshipName,
      cascadeDelete: false,
      restrictedDelete: false,
      deprecatedAndHidden: false,
      junctionIdListNames: [],
      junctionReferenceTo: [],
    })),
  };
}

/** A stored value as REST returns it (date-times as `2026-01-02T03:04:05.000+0000`). */
function restValue(field: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (field.type === 'datetime') return new Date(text(value)).toISOString().replace('Z', '+0000');
  if (field.type === 'date') return text(value).slice(0, 10);
  return value;
}

/** The record as GET sobjects/<Type>/<Id> (and collections retrieve) answer it; `fields` limits the columns. */
export function restRecord(def: SObjectDef, record: SRecord, version: string, fields?: string[]): Record<string, unknown> {
  const chosen = fields
    ? fields.map((name) => {
        const f = fieldDef(def, name);
        if (!f) throw new SalesforceError('INVALID_FIELD', `No such column '${name}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
        return f;
      })
    : def.fields;
  const out: Record<string, unknown> = { attributes: { type: def.name, url: `/services/data/v${version}/sobjects/${def.name}/${record.Id}` } };
  for (const f of chosen) out[f.name] = restValue(f, record[f.name]);
  if (fields && !out.Id) out.Id = record.Id;
  return out;
}

/** `?fields=A,B` → names, or undefined for all fields. */
export function fieldList(req: ApiRequest): string[] | undefined {
  const raw = req.query.get('fields');
  return raw ? raw.split(',').map((f) => f.trim()).filter(Boolean) : undefined;
}

function allowedMethods(def: SObjectDef, withId: boolean): string[] {
  if (!withId) return ['HEAD', 'GET', ...(def.createable ? ['POST'] : [])];
  return ['HEAD', 'GET', ...(def.updateable ? ['PATCH'] : []), ...(def.deletable ? ['DELETE'] : [])];
}

/** Routes `sobjects[/<Type>[/describe|/<Id>]]` (segments after `sobjects`). */
export function sobjectsRoute(ctx: Context, req: ApiRequest, version: string, segments: string[]): ApiResponse {
  if (segments.length === 0) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['HEAD', 'GET']);
    return { status: 200, body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects: ctx.db.objects().filter((o) => canRead(ctx, o.name)).map((o) => basicInfo(o, version)) } };
  }
  const def = ctx.db.describe(segments[0]);
  if (!def || segments.length > 2) throw notFound();
  // An object the running user cannot read does not exist for it (writes answer their own access error).
  if (req.method === 'GET' && !canRead(ctx, def.name)) throw notFound();
  if (segments.length === 1) {
    if (req.method === 'GET') return { status: 200, body: { objectDescribe: basicInfo(def, version), recentItems: [] } };
    if (req.method !== 'POST' || !def.createable) throw methodNotAllowed(req.method, allowedMethods(def, false));
    const record = insertRecord(ctx, def, req.body);
    return { status: 201, body: { id: record.Id, success: true, errors: [] } };
  }
  if (segments[1] === 'describe') {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['HEAD', 'GET']);
    return { status: 200, body: describe(def, version) };
  }
  if (!allowedMethods(def, true).includes(req.method)) throw methodNotAllowed(req.method, allowedMethods(def, true));
  const record = findRecord(ctx, def, segments[1]);
  if (req.method === 'GET') return { status: 200, body: restRecord(def, record, version, fieldList(req)) };
  if (req.method === 'PATCH') {
    updateRecord(ctx, def, record, req.body);
    return { status: 204 };
  }
  deleteRecord(ctx, def, record);
  return { status: 204 };
}
