/**
 * The new user's fields: defaults (LastName and username from the integration's name, alias, nickname, the
 * running user's email, locale, time zone, language and encoding) and the field rules checked before any write.
 */
import type { RunningUser } from './catalog.js';
import { problem } from './messages.js';
import type { Problem } from './types.js';

export type UserFieldInput = {
  /** The integration's name, e.g. "Billing Sync": default LastName and base of the default username and alias. */
  name?: string;
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  alias?: string;
  /** User fields from the definition file, canonical API names; the flags above override them. */
  fileFields?: Record<string, unknown>;
};

export type UserFieldValue = string | number | boolean | null;
export type NewUserFields = Record<string, UserFieldValue> & {
  Username: string;
  LastName: string;
  Email: string;
  Alias: string;
  CommunityNickname: string;
  TimeZoneSidKey: string;
  LocaleSidKey: string;
  LanguageLocaleKey: string;
  EmailEncodingKey: string;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
export const MAX_ALIAS = 8;
export const MAX_USERNAME = 80;
const MAX_NAME = 80;
const MAX_FIRST_NAME = 40;
const MAX_NICKNAME = 40;

/** "Billing Sync" → "billing.sync" (ASCII letters and digits, dot-separated). */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
}

/** The default username: `<slug>.integration@<the running user's username domain>`, e.g. billing.sync.integration@acme.example.com. */
export function deriveUsername(name: string, runningUsername: string): string {
  const base = slug(name) || 'integration';
  const local = /(^|\.)integration$/.test(base) ? base : `${base}.integration`;
  const domain = runningUsername.includes('@') ? runningUsername.slice(runningUsername.lastIndexOf('@') + 1) : 'example.com';
  return `${local}@${domain}`.toLowerCase();
}

/** The default alias: the name's letters and digits, at most 8. */
export function deriveAlias(name: string): string {
  return slug(name).replace(/\./g, '').slice(0, MAX_ALIAS) || 'intuser';
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Builds the User record (without ProfileId) and returns every field problem at once. */
export function newUserFields(
  input: UserFieldInput,
  runningUser: RunningUser | undefined,
  runningUsername: string
): { fields: NewUserFields; problems: Problem[] } {
  const file = input.fileFields ?? {};
  const problems: Problem[] = [];
  const lastName = str(input.lastName) ?? str(file.LastName) ?? str(input.name);
  const name = str(input.name) ?? lastName;
  const explicitUsername = str(input.username) ?? str(file.Username);
  if (!name && !explicitUsername) {
    problems.push(problem('NameRequired'));
  }
  const username = (explicitUsername ?? deriveUsername(name ?? '', runningUser?.username ?? runningUsername)).toLowerCase();
  const email = str(input.email) ?? str(file.Email) ?? runningUser?.email ?? '';
  const local = username.split('@')[0];
  const fields: NewUserFields = {
    ...(file as Record<string, UserFieldValue>),
    Username: username,
    LastName: lastName ?? local,
    Email: email,
    Alias: str(input.alias) ?? str(file.Alias) ?? deriveAlias(name ?? local),
    CommunityNickname: str(file.CommunityNickname) ?? local.slice(0, MAX_NICKNAME),
    TimeZoneSidKey: str(file.TimeZoneSidKey) ?? runningUser?.timeZoneSidKey ?? 'America/Los_Angeles',
    LocaleSidKey: str(file.LocaleSidKey) ?? runningUser?.localeSidKey ?? 'en_US',
    LanguageLocaleKey: str(file.LanguageLocaleKey) ?? runningUser?.languageLocaleKey ?? 'en_US',
    EmailEncodingKey: str(file.EmailEncodingKey) ?? runningUser?.emailEncodingKey ?? 'UTF-8',
  };
  const firstName = str(input.firstName) ?? str(file.FirstName);
  if (firstName) fields.FirstName = firstName;
  problems.push(...checkUserFields(fields, explicitUsername !== undefined));
  return { fields, problems };
}

/** The field rules: email and username shape, lengths (alias ≤ 8). */
export function checkUserFields(fields: NewUserFields, explicitUsername = true): Problem[] {
  const problems: Problem[] = [];
  if (!fields.Email) problems.push(problem('EmailRequired'));
  else if (!EMAIL.test(fields.Email)) problems.push(problem('InvalidEmail', [fields.Email]));
  if (!EMAIL.test(fields.Username)) {
    problems.push(problem(explicitUsername ? 'InvalidUsername' : 'InvalidDerivedUsername', [fields.Username]));
  } else if (fields.Username.length > MAX_USERNAME) {
    problems.push(problem('UsernameTooLong', [fields.Username, fields.Username.length, MAX_USERNAME]));
  }
  if (fields.Alias.length > MAX_ALIAS) problems.push(problem('AliasTooLong', [fields.Alias, fields.Alias.length, MAX_ALIAS]));
  if (fields.LastName.length > MAX_NAME) problems.push(problem('FieldTooLong', ['LastName', fields.LastName.length, MAX_NAME]));
  const firstName = fields.FirstName;
  if (typeof firstName === 'string' && firstName.length > MAX_FIRST_NAME) {
    problems.push(problem('FieldTooLong', ['FirstName', firstName.length, MAX_FIRST_NAME]));
  }
  if (fields.CommunityNickname.length > MAX_NICKNAME) {
    problems.push(problem('FieldTooLong', ['CommunityNickname', fields.CommunityNickname.length, MAX_NICKNAME]));
  }
  return problems;
}
