/**
 * Salesforce's query error messages: an excerpt of the query line, a caret under the offending token,
 * `ERROR at Row:r:Column:c` (1-based) and the reason, each on its own line after a leading newline.
 */
import { SalesforceError } from '../types.js';

/** Characters of context Salesforce shows on each side of the offending token (widened to whole words). */
const CONTEXT = 30;

export function queryError(code: string, soql: string, pos: number, reason: string, tokenLength = 1): SalesforceError {
  const lineStart = soql.lastIndexOf('\n', pos - 1) + 1;
  const lineEndAt = soql.indexOf('\n', pos);
  const line = soql.slice(lineStart, lineEndAt === -1 ? soql.length : lineEndAt);
  const column = pos - lineStart;
  const row = soql.slice(0, lineStart).split('\n').length;
  let start = Math.max(0, column - CONTEXT);
  while (start > 0 && isWordChar(line.charAt(start - 1)) && isWordChar(line.charAt(start))) start--;
  let end = Math.min(line.length, column + tokenLength + CONTEXT);
  while (end < line.length && isWordChar(line.charAt(end - 1)) && isWordChar(line.charAt(end))) end++;
  const excerpt = line.slice(start, end);
  const caret = ' '.repeat(column - start) + '^';
  return new SalesforceError(code, `\n${excerpt}\n${caret}\nERROR at Row:${row}:Column:${column + 1}\n${reason}`);
}

/** `MALFORMED_QUERY` at a token: "unexpected token: 'X'" unless another reason is given. */
export function malformed(soql: string, pos: number, token: string, reason?: string): SalesforceError {
  const shown = token === '<EOF>' ? token : `'${token}'`;
  return queryError('MALFORMED_QUERY', soql, pos, reason ?? `unexpected token: ${shown}`, Math.max(token.length, 1));
}

export function noSuchColumn(soql: string, pos: number, name: string, objectName: string): SalesforceError {
  return queryError(
    'INVALID_FIELD',
    soql,
    pos,
    `No such column '${name}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    name.length
  );
}

export function unsupportedType(soql: string, pos: number, name: string): SalesforceError {
  return queryError(
    'INVALID_TYPE',
    soql,
    pos,
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    name.length
  );
}

export function unknownChildRelationship(soql: string, pos: number, name: string): SalesforceError {
  return queryError(
    'INVALID_TYPE',
    soql,
    pos,
    `Didn't understand relationship '${name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    name.length
  );
}

function isWordChar(c: string): boolean {
  return /[\w.]/.test(c);
}
