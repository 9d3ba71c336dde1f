/** IU013's input: the External Client App OAuth policy files of an sfdx project, and their run-as users. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { xmlLibrary } from '../xml.js';
import type { EcaPolicyFile } from './model.js';

const POLICY_DIR = 'extlClntAppOauthPolicies';
const POLICY_SUFFIX = '.ecaOauthPlcy-meta.xml';
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.sf', '.sfdx', 'lib', 'coverage']);

/** Every `**\/extlClntAppOauthPolicies/*.ecaOauthPlcy-meta.xml` under the project, parsed; paths relative, sorted. */
export async function readEcaPolicyFiles(projectDir: string): Promise<EcaPolicyFile[]> {
  const paths = await findPolicyFiles(projectDir);
  const parsed = await Promise.all(paths.map(async (path) => parsePolicyFile(projectDir, path, await readFile(path, 'utf8'))));
  return parsed.filter((file): file is EcaPolicyFile => file !== undefined).sort((a, b) => a.path.localeCompare(b.path));
}

async function findPolicyFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const inPolicyDir = dir.split(sep).pop() === POLICY_DIR;
  const files = entries.filter((e) => e.isFile() && inPolicyDir && e.name.endsWith(POLICY_SUFFIX)).map((e) => join(dir, e.name));
  const nested = await Promise.all(
    entries.filter((e) => e.isDirectory() && !SKIPPED_DIRS.has(e.name)).map((e) => findPolicyFiles(join(dir, e.name)))
  );
  return [...files, ...nested.flat()];
}

/** One policy file's client-credentials settings; undefined when it isn't such a file (wrong root or not XML). */
export function parsePolicyFile(projectDir: string, path: string, xml: string): EcaPolicyFile | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = new (xmlLibrary().XMLParser)({ parseTagValue: false, ignoreAttributes: true }).parse(xml) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const root = doc.ExtlClntAppOauthConfigurablePolicies as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') return undefined;
  const runAs = typeof root.clientCredentialsFlowUser === 'string' ? root.clientCredentialsFlowUser.trim() : '';
  return {
    path: relative(projectDir, path).split(sep).join('/'),
    clientCredentialsEnabled: (typeof root.isClientCredentialsFlowEnabled === 'string' ? root.isClientCredentialsFlowEnabled : '').trim().toLowerCase() === 'true',
    runAsUser: runAs === '' ? null : runAs,
  };
}
