/**
 * Compares a command's committed result schema (`schemas/*.json`) with the one `scripts/schemas.ts`
 * generates from its result type, naming each difference by its JSON path: a removed property, enum value
 * or required entry breaks consumers of `--json`; an added one needs the committed schema regenerated
 * (`npm run schemas`, or `npm run snapshot:update` for the snapshot and the schemas together).
 */

export type SchemaDifference = { kind: 'removed' | 'added' | 'changed'; path: string };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrimitiveArray = (value: unknown): value is Array<string | number | boolean | null> =>
  Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');

export function compareSchemas(committed: unknown, generated: unknown, path = ''): SchemaDifference[] {
  if (isObject(committed) && isObject(generated)) {
    const differences: SchemaDifference[] = [];
    for (const key of Object.keys(committed)) {
      const at = `${path}/${key}`;
      if (!(key in generated)) differences.push({ kind: 'removed', path: at });
      else differences.push(...compareSchemas(committed[key], generated[key], at));
    }
    for (const key of Object.keys(generated)) if (!(key in committed)) differences.push({ kind: 'added', path: `${path}/${key}` });
    return differences;
  }
  if (isPrimitiveArray(committed) && isPrimitiveArray(generated)) {
    // `required`, `enum` and `type` lists: order carries no meaning, each value does
    const removed = committed.filter((v) => !generated.includes(v)).map((v) => ({ kind: 'removed' as const, path: `${path}[${JSON.stringify(v)}]` }));
    const added = generated.filter((v) => !committed.includes(v)).map((v) => ({ kind: 'added' as const, path: `${path}[${JSON.stringify(v)}]` }));
    return [...removed, ...added];
  }
  return JSON.stringify(committed) === JSON.stringify(generated) ? [] : [{ kind: 'changed', path: path || '/' }];
}

/** A readable account of the differences of one schema file, or '' when there are none. */
export function describeSchemaDifferences(schemaFile: string, differences: readonly SchemaDifference[]): string {
  if (differences.length === 0) return '';
  const lines = differences.map(({ kind, path }) =>
    kind === 'removed' ? `  removed (breaks --json consumers): ${path}` : `  ${kind}: ${path}`
  );
  return `${schemaFile} differs from the result type:\n${lines.join('\n')}\nIf the change is intended, run \`npm run schemas\` and commit the schema.`;
}
