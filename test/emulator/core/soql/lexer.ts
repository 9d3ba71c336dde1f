/** SOQL tokens: identifiers (keywords are identifiers too), literals and punctuation, with their offsets. */
import { malformed } from './errors.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';

export type Token = {
  kind: TokenKind;
  /** The text as written (for strings: the raw body between the quotes, escapes undecoded). */
  text: string;
  /** Decoded string value (strings only). */
  value?: string;
  /** Offset of the token's first character in the query. */
  pos: number;
};

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\w:])/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(?![\w])/;
const IDENT = /^[A-Za-z_][\w]*/;
const OPERATORS = ['<=', '>=', '!=', '<>', '=', '<', '>'];
const PUNCT = '(),.:';
/** Escapes a string literal may contain; `\%` and `\_` only mean something to LIKE and are kept as written. */
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '%': '\\%', _: '\\_' };

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    if (c === "'") {
      const token = readString(soql, i);
      tokens.push(token);
      i += token.text.length + 2;
      continue;
    }
    const literal =
      match(rest, DATETIME, 'datetime') ?? match(rest, DATE, 'date') ?? match(rest, NUMBER, 'number') ?? match(rest, IDENT, 'ident');
    if (literal) {
      tokens.push({ ...literal, pos: i });
      i += literal.text.length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }
    if (PUNCT.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    throw malformed(soql, i, c);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: soql.length });
  return tokens;
}

function match(rest: string, pattern: RegExp, kind: TokenKind): { kind: TokenKind; text: string } | undefined {
  const m = pattern.exec(rest);
  return m ? { kind, text: m[0] } : undefined;
}

function readString(soql: string, start: number): Token {
  let value = '';
  let i = start + 1;
  while (i < soql.length) {
    const c = soql.charAt(i);
    if (c === "'") return { kind: 'string', text: soql.slice(start + 1, i), value, pos: start };
    if (c === '\\') {
      const next = soql.charAt(i + 1);
      const decoded = ESCAPES[next];
      if (decoded === undefined) {
        const literal = /^'(?:[^'\\]|\\.)*'?/.exec(soql.slice(start))?.[0] ?? "'";
        throw malformed(soql, start, literal, `Invalid string literal ${literal}. Illegal character sequence '\\${next}' in string literal.`);
      }
      value += decoded;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw malformed(soql, soql.length, '<EOF>', `line 1:${soql.length} mismatched character '<EOF>' expecting '''`);
}
