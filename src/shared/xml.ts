/**
 * fast-xml-parser, loaded the first time a format needs it: commands that never write or read XML (and
 * `--help`, and every early error) do not pay for loading it. The one place the plugin imports it.
 */
import { createRequire } from 'node:module';
import type * as FastXmlParser from 'fast-xml-parser';

const require = createRequire(import.meta.url);
let loaded: typeof FastXmlParser | undefined;

export function xmlLibrary(): typeof FastXmlParser {
  loaded ??= require('fast-xml-parser') as typeof FastXmlParser;
  return loaded;
}
