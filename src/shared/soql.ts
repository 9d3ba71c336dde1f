/** SOQL text helpers: the one place that turns user input into SOQL literals. */

/** A SOQL string literal: backslashes and quotes escaped, wrapped in single quotes. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A SOQL LIKE literal matching every value that starts with `prefix` (its `_` and `%` taken literally). */
export function likePrefix(prefix: string): string {
  const escaped = prefix.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/[_%]/g, (c) => `\\${c}`);
  return `'${escaped}%'`;
}

/** A SOQL LIKE literal matching every value that ends with `suffix` (its `_` and `%` taken literally). */
export function likeSuffix(suffix: string): string {
  return `'%${likePrefix(suffix).slice(1, -2)}'`;
}

/** `('a', 'b')` for an IN clause; de-duplicated. Callers must not pass an empty list. */
export function inList(values: Iterable<string>): string {
  const unique = [...new Set(values)];
  if (unique.length === 0) throw new Error('inList needs at least one value');
  return `(${unique.map(quote).join(', ')})`;
}

/** Splits a list into chunks of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
