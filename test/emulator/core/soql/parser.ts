/** Recursive-descent SOQL parser; syntax errors are `MALFORMED_QUERY` "unexpected token" at the token. */
import type { AggregateFunction, ComparisonOperator, Condition, FieldPath, Literal, Name, OrderItem, SelectItem, SoqlQuery } from './ast.js';
import { DATE_LITERALS } from './dates.js';
import { malformed } from './errors.js';
import { tokenize, type Token } from './lexer.js';

const AGGREGATES: AggregateFunction[] = ['COUNT_DISTINCT', 'COUNT', 'MAX', 'MIN', 'SUM', 'AVG'];

export function parseSoql(soql: string): SoqlQuery {
  const parser = new Parser(soql);
  const query = parser.query();
  parser.expectEnd();
  return query;
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  public constructor(private readonly soql: string) {
    this.tokens = tokenize(soql);
  }

  public query(): SoqlQuery {
    this.expectKeyword('SELECT');
    const select = this.selectList();
    this.expectKeyword('FROM');
    const from = this.name();
    const where = this.acceptKeyword('WHERE') ? this.condition() : undefined;
    const groupBy: FieldPath[] = [];
    if (this.acceptKeyword('GROUP')) {
      this.expectKeyword('BY');
      do groupBy.push(this.path());
      while (this.acceptPunct(','));
    }
    const orderBy: OrderItem[] = [];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do orderBy.push(this.orderItem());
      while (this.acceptPunct(','));
    }
    const limit = this.acceptKeyword('LIMIT') ? this.integer() : undefined;
    const offset = this.acceptKeyword('OFFSET') ? { pos: this.peek().pos, value: this.integer() } : undefined;
    return { select, from, where, groupBy, orderBy, limit, offset };
  }

  public expectEnd(): void {
    if (this.peek().kind !== 'eof') throw this.unexpected();
  }

  private selectList(): SelectItem[] {
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptPunct(','));
    return items;
  }

  private selectItem(): SelectItem {
    const token = this.peek();
    if (this.acceptPunct('(')) {
      const query = this.query();
      this.expectPunct(')');
      return { kind: 'subquery', query, pos: token.pos };
    }
    if (this.isKeyword(token, 'FIELDS') && this.isPunct(this.peek(1), '(')) {
      this.index += 2;
      const which = this.peek();
      if (!this.isKeyword(which, 'STANDARD') && !this.isKeyword(which, 'ALL')) throw this.unexpected();
      this.index++;
      this.expectPunct(')');
      return { kind: 'fields', which: which.text.toUpperCase() as 'STANDARD' | 'ALL', pos: token.pos };
    }
    const fn = AGGREGATES.find((name) => this.isKeyword(token, name));
    if (fn && this.isPunct(this.peek(1), '(')) {
      this.index += 2;
      const field = fn === 'COUNT' && this.isPunct(this.peek(), ')') ? undefined : this.path();
      this.expectPunct(')');
      const next = this.peek();
      const alias = next.kind === 'ident' && !this.isKeyword(next, 'FROM') ? this.name().name : undefined;
      return { kind: 'aggregate', fn, field, alias, pos: token.pos };
    }
    return { kind: 'field', path: this.path() };
  }

  private orderItem(): OrderItem {
    const path = this.path();
    const descending = this.acceptKeyword('DESC');
    if (!descending) this.acceptKeyword('ASC');
    let nullsLast = descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else {
        this.expectKeyword('FIRST');
        nullsLast = false;
      }
    }
    return { path, descending, nullsLast };
  }

  /** `a AND b AND c` or `a OR b OR c`; mixing both at one level needs parentheses, as in Salesforce. */
  private condition(): Condition {
    const first = this.factor();
    const joiner = this.peek();
    const kind = this.isKeyword(joiner, 'AND') ? 'and' : this.isKeyword(joiner, 'OR') ? 'or' : undefined;
    if (!kind) return first;
    const items = [first];
    while (this.acceptKeyword(kind.toUpperCase())) items.push(this.factor());
    const other = this.peek();
    if (this.isKeyword(other, 'AND') || this.isKeyword(other, 'OR')) throw this.unexpected();
    return { kind, items };
  }

  private factor(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.factor() };
    if (this.acceptPunct('(')) {
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.simpleCondition();
  }

  private simpleCondition(): Condition {
    const field = this.path();
    const token = this.peek();
    if (token.kind === 'op') {
      this.index++;
      const op: ComparisonOperator = token.text === '<>' ? '!=' : (token.text as ComparisonOperator);
      return { kind: 'compare', field, op, value: this.literal() };
    }
    if (this.acceptKeyword('LIKE')) return { kind: 'like', field, pattern: this.literal() };
    for (const keyword of ['INCLUDES', 'EXCLUDES']) {
      if (this.acceptKeyword(keyword)) return { kind: 'includes', field, negated: keyword === 'EXCLUDES', values: this.literalList() };
    }
    const negated = this.acceptKeyword('NOT');
    this.expectKeyword('IN');
    const open = this.peek();
    if (this.isPunct(open, '(') && this.isKeyword(this.peek(1), 'SELECT')) {
      this.index++;
      const query = this.query();
      this.expectPunct(')');
      return { kind: 'semiJoin', field, negated, query, pos: open.pos };
    }
    return { kind: 'in', field, negated, values: this.literalList() };
  }

  private literalList(): Literal[] {
    this.expectPunct('(');
    const values: Literal[] = [];
    do values.push(this.literal());
    while (this.acceptPunct(','));
    this.expectPunct(')');
    return values;
  }

  private literal(): Literal {
    const token = this.peek();
    const pos = token.pos;
    switch (token.kind) {
      case 'string':
        this.index++;
        return { kind: 'string', value: token.value ?? '', raw: token.text, pos };
      case 'number':
        this.index++;
        return { kind: 'number', value: Number(token.text), pos };
      case 'date':
        this.index++;
        return { kind: 'date', value: token.text, pos };
      case 'datetime':
        this.index++;
        return { kind: 'datetime', value: token.text, pos };
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') {
          this.index++;
          return { kind: 'boolean', value: word === 'TRUE', pos };
        }
        if (word === 'NULL') {
          this.index++;
          return { kind: 'null', pos };
        }
        const dateLiteral = DATE_LITERALS.get(word);
        if (!dateLiteral) throw this.unexpected();
        this.index++;
        if (!dateLiteral.takesN) return { kind: 'dateLiteral', name: word, pos };
        this.expectPunct(':');
        return { kind: 'dateLiteral', name: word, n: this.integer(), pos };
      }
      default:
        throw this.unexpected();
    }
  }

  private path(): FieldPath {
    const parts = [this.name()];
    while (this.acceptPunct('.')) parts.push(this.name());
    return { parts, pos: parts[0].pos };
  }

  private name(): Name {
    const token = this.peek();
    if (token.kind !== 'ident') throw this.unexpected();
    this.index++;
    return { name: token.text, pos: token.pos };
  }

  private integer(): number {
    const token = this.peek();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected();
    this.index++;
    return Number(token.text);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'ident' && token.text.toUpperCase() === keyword;
  }

  private isPunct(token: Token, punct: string): boolean {
    return token.kind === 'punct' && token.text === punct;
  }

  private acceptKeyword(keyword: string): boolean {
    if (!this.isKeyword(this.peek(), keyword)) return false;
    this.index++;
    return true;
  }

  private expectKeyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) throw this.unexpected();
  }

  private acceptPunct(punct: string): boolean {
    if (!this.isPunct(this.peek(), punct)) return false;
    this.index++;
    return true;
  }

  private expectPunct(punct: string): void {
    if (!this.acceptPunct(punct)) throw this.unexpected();
  }

  private unexpected(): Error {
    const token = this.peek();
    return malformed(this.soql, token.pos, token.text);
  }
}
