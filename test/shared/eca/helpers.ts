/** Shared inputs and XML checks for the External Client App tests. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AppInput } from '../../../src/shared/eca/spec.js';
import type { Flow } from '../../../src/shared/eca/types.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = resolve(here, '..', '..', 'fixtures', 'eca');
export const CERTIFICATE = join(FIXTURES, 'server.crt');
/** Real External Client App files from public repositories (see its README for sources), consumer keys redacted. */
export const EXAMPLES = resolve(here, '..', '..', 'fixtures', 'eca-examples');
export const NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/** One input per flow; labels with &, <, quotes and non-ASCII to prove escaping round-trips. */
export const INPUTS: Record<Flow, AppInput> = {
  'client-credentials': {
    name: 'Billing_Sync',
    label: 'Billing Sync & Co — "ERP" <v2>',
    description: "Nightly invoices from the ERP; owner's team: Ünternehmen IT",
    contactEmail: 'it@acme.example.com',
    flow: 'client-credentials',
    runAs: 'billing.sync@acme.example.com',
    permissionSets: ['Billing_Sync_Access'],
  },
  jwt: {
    name: 'CI_Deploy',
    contactEmail: 'it@acme.example.com',
    flow: 'jwt',
    runAs: 'ci@acme.example.com',
    certificate: { path: CERTIFICATE, content: readFileSync(CERTIFICATE) },
    permissionSets: ['CI_Deploy_Access'],
    profiles: ['Minimum Access - API Only Integrations'],
  },
  'web-server': {
    name: 'Partner_Portal',
    label: 'Partner Portal',
    contactEmail: 'it@acme.example.com',
    flow: 'web-server',
    callbackUrl: 'https://partner.example.com/oauth/callback',
    scopes: ['api', 'refreshtoken', 'OpenID'],
    profiles: ['Partner Integration'],
  },
};

/** Fields the generator may never write (docs/platform-facts.md §15.3). */
export const FORBIDDEN = ['consumerKey', 'consumerSecret', 'oauthLink', 'orgScopedExternalApp', 'assetTokenSigningCertificate', 'pushConfigLink', 'executeHandlerAs'];

export type ParsedMetadata = { root: string; xmlns: string; fields: Record<string, string> };

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, ignoreDeclaration: true, commentPropName: '#comment' });

/** Parses one metadata file after checking it is well-formed; fields are the root's children as text. */
export function parseMetadata(xml: string): ParsedMetadata {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`malformed XML: ${valid.err.msg}`);
  const doc = parser.parse(xml) as Record<string, Record<string, string>>;
  const roots = Object.keys(doc).filter((k) => k !== '#comment');
  if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.join(', ')}`);
  const { '@_xmlns': xmlns, '#comment': _comment, ...fields } = doc[roots[0]];
  return { root: roots[0], xmlns, fields };
}

/** Field names per root type seen in the real example files. */
export function exampleFieldNames(): Map<string, Set<string>> {
  const byRoot = new Map<string, Set<string>>();
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.xml'))) {
    const { root, fields } = parseMetadata(readFileSync(join(EXAMPLES, file), 'utf8'));
    const names = byRoot.get(root) ?? new Set<string>();
    Object.keys(fields).forEach((n) => names.add(n));
    byRoot.set(root, names);
  }
  return byRoot;
}
