/** Test helpers: run a query over the sample catalog, or capture the error it raises. */
import { SalesforceError } from '../types.js';
import { executeSoql, type QueryResult } from './index.js';
import { sampleCatalog, type TestCatalog } from './testCatalog.js';

export const NOW = new Date('2026-03-15T12:00:00Z');

export function run(soql: string, catalog: TestCatalog = sampleCatalog(), now = NOW): QueryResult {
  return executeSoql(catalog, soql, { apiVersion: '62.0', now });
}

/** The SalesforceError the query raises (fails the test if it raises nothing or something else). */
export function failure(soql: string, catalog: TestCatalog = sampleCatalog()): SalesforceError {
  let error: unknown;
  try {
    run(soql, catalog);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof SalesforceError)) throw new Error(`expected a SalesforceError from ${soql}, got ${String(error)}`);
  return error;
}

/** The values of one column. */
export function column(result: QueryResult, name: string): unknown[] {
  return result.records.map((r) => r[name]);
}
