/**
 * `import`: a spec of the org's integration users (every user `list` shows) and their grants, so a team
 * adopts the spec without retyping it. Usernames are written explicitly (never derived), inactive users
 * get `state: inactive`; the Salesforce API Integration PSL is left out (the spec implies it), and an active
 * user that lacks it gets `apiIntegrationPsl: false` (with a YAML comment saying why), so `plan` of the file
 * against the same org is converged while the audit still reports the missing PSL.
 */
import { access, writeFile } from 'node:fs/promises';
import { Document, isMap, isScalar, isSeq } from 'yaml';
import type { OrgConnection } from '../api.js';
import { API_INTEGRATION_PSL, INTEGRATION_USER_LICENSE } from '../constants.js';
import { listIntegrationUsers, type IntegrationUserListItem } from '../list.js';
import { messages } from './load.js';

export type ImportedIntegration = {
  name: string;
  username: string;
  email: string;
  state?: 'inactive';
  /** false when the active user lacks the Salesforce API Integration PSL the spec otherwise implies. */
  apiIntegrationPsl?: false;
  permissionSetLicenses?: string[];
  permissionSets?: string[];
  permissionSetGroups?: string[];
};

export type SpecImportResult = {
  /** The file written. */
  file: string;
  format: 'yaml' | 'json';
  /** The integrations written, in the file's order. */
  integrations: ImportedIntegration[];
  /** Integration users that lack the Salesforce API Integration PSL, which the spec implies: plan will assign it. */
  missingApiPsl: string[];
};

/** Reads the org's integration users and writes the spec; refuses an existing file unless `force`. */
export async function importSpec(conn: OrgConnection, file: string, options: { force: boolean; orgLabel: string }): Promise<SpecImportResult> {
  if (!options.force && (await exists(file))) throw messages.createError('error.ImportExists', [file]);
  const list = await listIntegrationUsers(conn);
  const integrations = toIntegrations(list.users);
  const format = /\.json$/i.test(file) ? 'json' : 'yaml';
  const spec = { version: 1, integrations };
  const text =
    format === 'json'
      ? `${JSON.stringify(spec, null, 2)}\n`
      : `# Integration users of ${options.orgLabel}, imported by sf integration user import.\n# Check it with: sf integration user plan -f ${file} -o ${options.orgLabel}\n${yamlText(spec)}`;
  await writeFile(file, text, 'utf8');
  const missingApiPsl = integrations.filter((i) => i.apiIntegrationPsl === false).map((i) => i.username);
  return { file, format, integrations, missingApiPsl };
}

/** One integration per user, named after the user (unique: a clash adds the username). */
export function toIntegrations(users: readonly IntegrationUserListItem[]): ImportedIntegration[] {
  const seen = new Set<string>();
  return users.map((u) => {
    let name = u.name.trim() || u.username;
    if (seen.has(name.toLowerCase())) name = `${name} (${u.username})`;
    seen.add(name.toLowerCase());
    const psls = u.permissionSetLicenses.filter((p) => p !== API_INTEGRATION_PSL.developerName);
    const lacksApiPsl = u.active && u.userLicense === INTEGRATION_USER_LICENSE && !u.permissionSetLicenses.includes(API_INTEGRATION_PSL.developerName);
    return {
      name,
      username: u.username,
      email: u.email,
      ...(u.active ? {} : { state: 'inactive' as const }),
      ...(lacksApiPsl ? { apiIntegrationPsl: false as const } : {}),
      ...(psls.length > 0 ? { permissionSetLicenses: psls } : {}),
      ...(u.permissionSets.length > 0 ? { permissionSets: [...u.permissionSets] } : {}),
      ...(u.permissionSetGroups.length > 0 ? { permissionSetGroups: [...u.permissionSetGroups] } : {}),
    };
  });
}

/** The spec as YAML, each `apiIntegrationPsl: false` preceded by a comment saying why it is there. */
function yamlText(spec: { version: number; integrations: ImportedIntegration[] }): string {
  const doc = new Document(spec);
  const list = doc.get('integrations', true);
  for (const item of isSeq(list) ? list.items : []) {
    if (!isMap(item)) continue;
    const pair = item.items.find((p) => isScalar(p.key) && p.key.value === 'apiIntegrationPsl');
    if (pair && isScalar(pair.key)) {
      pair.key.commentBefore = ` This user lacks the ${API_INTEGRATION_PSL.developerName} PSL the spec otherwise implies, so plan would assign it;\n false keeps the spec true to the org. Remove this line to have apply assign it (the audit reports it missing).`;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
