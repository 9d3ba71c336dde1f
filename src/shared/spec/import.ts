/**
 * `import`: a spec of the org's integration users (every user `list` shows) and their grants, so a team
 * adopts the spec without retyping it. Usernames are written explicitly (never derived), inactive users
 * get `state: inactive`; the Salesforce API Integration PSL is left out (the spec implies it).
 */
import { access, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { OrgConnection } from '../api.js';
import { API_INTEGRATION_PSL, INTEGRATION_USER_LICENSE } from '../constants.js';
import { listIntegrationUsers, type IntegrationUserListItem } from '../list.js';
import { messages } from './load.js';

export type ImportedIntegration = {
  name: string;
  username: string;
  email: string;
  state?: 'inactive';
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
      : `# Integration users of ${options.orgLabel}, imported by sf integration user import.\n# Check it with: sf integration user plan -f ${file} -o ${options.orgLabel}\n${stringify(spec, { lineWidth: 0 })}`;
  await writeFile(file, text, 'utf8');
  const missingApiPsl = list.users.filter((u) => u.active && u.userLicense === INTEGRATION_USER_LICENSE && !u.permissionSetLicenses.includes(API_INTEGRATION_PSL.developerName)).map((u) => u.username);
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
    return {
      name,
      username: u.username,
      email: u.email,
      ...(u.active ? {} : { state: 'inactive' as const }),
      ...(psls.length > 0 ? { permissionSetLicenses: psls } : {}),
      ...(u.permissionSets.length > 0 ? { permissionSets: [...u.permissionSets] } : {}),
      ...(u.permissionSetGroups.length > 0 ? { permissionSetGroups: [...u.permissionSetGroups] } : {}),
    };
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
