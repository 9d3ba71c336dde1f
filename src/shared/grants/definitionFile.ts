/**
 * The `--definition-file`: a JSON object of User fields plus `permissionSets`, `permissionSetGroups` and
 * `permissionSetLicenses`. Unknown keys are refused (with close matches), so a typo never goes unnoticed.
 */
import { readFile } from 'node:fs/promises';
import { SfError } from '@salesforce/core';
import { messages } from './messages.js';
import { closeMatches } from './suggest.js';
import type { GrantNames } from './types.js';

/** User fields a definition file may set (API names; custom `__c` fields are accepted too). */
export const DEFINITION_USER_FIELDS = [
  'Username', 'LastName', 'FirstName', 'MiddleName', 'Suffix', 'Email', 'Alias', 'CommunityNickname',
  'TimeZoneSidKey', 'LocaleSidKey', 'LanguageLocaleKey', 'EmailEncodingKey',
  'Title', 'Department', 'Division', 'CompanyName', 'EmployeeNumber', 'Phone', 'MobilePhone', 'Fax', 'Extension',
  'Street', 'City', 'State', 'PostalCode', 'Country', 'AboutMe', 'FederationIdentifier', 'ManagerId', 'UserRoleId',
  'SenderEmail', 'SenderName', 'Signature', 'ReceivesInfoEmails', 'ReceivesAdminInfoEmails', 'DelegatedApproverId',
] as const;

const LIST_KEYS = ['permissionSets', 'permissionSetGroups', 'permissionSetLicenses'] as const;
/** Keys the plugin decides itself: never from a file. */
const REFUSED = new Map([
  ['profileid', 'ProfileId'],
  ['profilename', 'profileName'],
  ['password', 'Password'],
  ['generatepassword', 'generatePassword'],
  ['isactive', 'IsActive'],
]);

export type DefinitionFile = { userFields: Record<string, string | number | boolean | null>; grants: GrantNames };

export async function readDefinitionFile(path: string): Promise<DefinitionFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw messages.createError('error.DefinitionFileMissing', [path]);
    throw messages.createError('error.DefinitionFileUnreadable', [path, code ?? (e as Error).message]);
  }
  return parseDefinition(text, path);
}

/** Parses and checks a definition file's text; throws an SfError naming every bad key. */
export function parseDefinition(text: string, path: string): DefinitionFile {
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (e) {
    throw messages.createError('error.DefinitionFileNotJson', [path, (e as Error).message]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw messages.createError('error.DefinitionFileNotObject', [path]);
  }
  const canonical = new Map<string, string>(DEFINITION_USER_FIELDS.map((f) => [f.toLowerCase(), f]));
  const grants: GrantNames = { permissionSetLicenses: [], permissionSets: [], permissionSetGroups: [] };
  const userFields: DefinitionFile['userFields'] = {};
  const unknown: string[] = [];
  const refused: string[] = [];
  const badValues: string[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const listKey = LIST_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    if (listKey) {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) badValues.push(key);
      else grants[listKey] = (value as string[]).map((v) => v.trim());
    } else if (REFUSED.has(key.toLowerCase())) {
      refused.push(key);
    } else if (canonical.has(key.toLowerCase()) || /^[A-Za-z][A-Za-z0-9_]*__c$/.test(key)) {
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) badValues.push(key);
      else userFields[canonical.get(key.toLowerCase()) ?? key] = value as string | number | boolean | null;
    } else {
      unknown.push(key);
    }
  }
  if (unknown.length + refused.length + badValues.length > 0) {
    const known = [...DEFINITION_USER_FIELDS, ...LIST_KEYS];
    const actions = [
      ...unknown.map((key) => {
        const near = closeMatches(key, known);
        return near.length > 0
          ? messages.getMessage('action.DefinitionFileDidYouMean', [key, near.join(', ')])
          : messages.getMessage('action.DefinitionFileRemoveKey', [key]);
      }),
      ...refused.map((key) => messages.getMessage('action.DefinitionFileRefusedKey', [key])),
      ...badValues.map((key) => messages.getMessage('action.DefinitionFileBadValue', [key])),
      messages.getMessage('action.DefinitionFileKnownKeys', [known.join(', ')]),
    ];
    const keys = [...unknown, ...refused, ...badValues].join(', ');
    throw new SfError(messages.getMessage('error.DefinitionFileInvalid', [path, keys]), 'DefinitionFileInvalidError', actions);
  }
  return { userFields, grants };
}
