/** Metadata XML: declaration, root element in the Metadata API namespace, 4-space indentation, escaped text. */
import { xmlLibrary } from '../xml.js';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

export type Fields = Record<string, string | boolean | number | undefined>;

let builder: InstanceType<ReturnType<typeof xmlLibrary>['XMLBuilder']> | undefined;

/** One metadata file; fields are written in alphabetical order (the order of retrieved files), undefined ones skipped. */
export function metadataXml(root: string, fields: Fields): string {
  const body: Record<string, unknown> = { '@_xmlns': METADATA_NAMESPACE };
  for (const key of Object.keys(fields).sort()) {
    if (fields[key] !== undefined) body[key] = fields[key];
  }
  builder ??= new (xmlLibrary().XMLBuilder)({ format: true, indentBy: '    ', ignoreAttributes: false, processEntities: true });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: body })}`;
}
