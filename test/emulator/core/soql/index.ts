/** The org emulator's SOQL engine: parse a query and run it over the emulator's catalog. */
import type { SoqlCatalog } from '../types.js';
import type { SoqlQuery } from './ast.js';
import { describeObject, runQuery, type QueryOptions, type QueryResult } from './evaluate.js';

export { expandFields } from './evaluate.js';
import { parseSoql } from './parser.js';

export type { SoqlQuery } from './ast.js';
export type { QueryOptions, QueryResult } from './evaluate.js';
export { parseSoql } from './parser.js';

/** Parses and runs a SOQL query over the catalog; returns ALL matching rows (the server paginates). Throws SalesforceError. */
export function executeSoql(catalog: SoqlCatalog, soql: string, options: QueryOptions): QueryResult {
  return runQuery(catalog, soql, parseSoql(soql), options);
}

/** The object a query reads (canonical name after resolution), for the server's per-object paging/permission rules. */
export function queryObjectName(catalog: SoqlCatalog, soql: string): string {
  const query: SoqlQuery = parseSoql(soql);
  return describeObject({ catalog, soql }, query.from).name;
}
