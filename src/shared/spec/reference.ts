/**
 * The spec reference (README "Integrations as code"), made from the committed JSON Schema so the two
 * cannot drift apart (test/shared/spec/readme.test.ts checks the README holds exactly these rows).
 */
type SchemaNode = {
  type?: string;
  enum?: string[];
  const?: unknown;
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode & { oneOf?: SchemaNode[] };
  required?: string[];
};

/** Markdown rows `| key | type | meaning |` for every key of the spec, nested keys dotted. */
export function referenceRows(schema: SchemaNode): string[] {
  const rows: string[] = [];
  const typeOf = (node: SchemaNode): string => {
    if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
    if (node.enum) return node.enum.map((v) => `\`${v}\``).join(' \\| ');
    if (node.type === 'array') return node.items?.oneOf ? 'list of names or objects' : 'list of names';
    if (node.type === 'object') return 'map';
    return node.type ?? '';
  };
  const walk = (props: Record<string, SchemaNode> | undefined, prefix: string, required: readonly string[] = []): void => {
    for (const [key, node] of Object.entries(props ?? {})) {
      const name = `${prefix}${key}`;
      const req = required.includes(key) ? ' (required)' : '';
      rows.push(`| \`${name}\` | ${typeOf(node)}${req} | ${(node.description ?? '').replace(/\|/g, '\\|')} |`);
      if (node.type === 'object' && node.properties) walk(node.properties, `${name}.`, node.required);
      const mapped = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
      // An environment's overrides take the integration keys above: listed once, not again under each name.
      if (mapped?.properties && !prefix.includes('<name>')) walk(mapped.properties, `${name}.<name>.`, mapped.required);
      if (node.type === 'array' && node.items?.properties) walk(node.items.properties, `${name}[].`, node.items.required);
      const objectItem = node.items?.oneOf?.find((o) => o.type === 'object');
      if (objectItem?.properties) walk(objectItem.properties, `${name}[].`, objectItem.required);
    }
  };
  walk(schema.properties, '', schema.required);
  return rows;
}
