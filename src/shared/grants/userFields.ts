/**
 * The one owner of an integration user's User record: which username the inputs name (given or derived),
 * the defaults of a new user (LastName, username and alias from the integration's name, a free nickname,
 * the running user's email, locale, time zone, language and encoding), the field rules checked before any
 * write, and the drift between the fields a caller gave and an existing user's. No other module derives a
 * default. The read that feeds it (userStateRead) also tells whether nicknames are taken, in the same
 * round trip as the target users and the running user.
 */
import { id15 } from '../model/ids.js';
import { hasControlCharacters, isEmailShaped, showControlCharacters } from '../model/text.js';
import { str as requiredStr, strOrNull, type ReadPart, type Row } from '../read.js';
import { inList, likePrefix } from '../soql.js';
import { usersRead, type UserWithGrants } from '../users.js';
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

/** The running user: defaults for email, locale, time zone, language and encoding; its username's domain. */
export type RunningUser = {
  id: string;
  username: string;
  email: string;
  localeSidKey: string;
  timeZoneSidKey: string;
  languageLocaleKey: string;
  emailEncodingKey: string;
};

export const MAX_ALIAS = 8;
export const MAX_USERNAME = 80;
const MAX_NAME = 80;
const MAX_FIRST_NAME = 40;
export const MAX_NICKNAME = 40;

/** Fields a new user gets from the running user when the caller gives none. */
const DEFAULTED = ['TimeZoneSidKey', 'LocaleSidKey', 'LanguageLocaleKey', 'EmailEncodingKey'] as const;
/** Fields read for every target user (besides those the caller gave): what usersRead needs plus the name and nickname. */
const BASE_USER_FIELDS = [
  'Id', 'Username', 'Name', 'FirstName', 'LastName', 'Email', 'IsActive', 'LastLoginDate', 'ProfileId', 'Profile.Name',
  'Profile.UserLicense.Name', 'CommunityNickname', ...DEFAULTED,
];

/** "Billing Sync" → "billing.sync" (ASCII letters and digits, dot-separated; accents dropped). */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
}

/** The username domain of the running user (everything after its last @). */
export function usernameDomain(runningUsername: string): string {
  return runningUsername.includes('@') ? runningUsername.slice(runningUsername.lastIndexOf('@') + 1).toLowerCase() : 'example.com';
}

/**
 * The default username: `<slug>.integration@<the running user's username domain>`, e.g.
 * billing.sync.integration@acme.example.com. Callers check first that the name has a Latin letter or digit
 * (userIdentity refuses it otherwise): a name without one has no username of its own.
 */
export function deriveUsername(name: string, runningUsername: string): string {
  const base = slug(name);
  const local = /(^|\.)integration$/.test(base) ? base : `${base}.integration`;
  return `${local}@${usernameDomain(runningUsername)}`.toLowerCase();
}

/** The default alias: the name's letters and digits, at most 8. */
export function deriveAlias(name: string): string {
  return slug(name).replace(/\./g, '').slice(0, MAX_ALIAS) || 'intuser';
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Who the inputs name: the username (given or derived, lower case) and the integration's name. */
export type UserIdentity = {
  username: string;
  /** True when the caller gave the username (--username or the file's Username). */
  explicitUsername: boolean;
  /** The integration's name: --name, else the last name given. */
  name: string | undefined;
  /** The nickname a new user would get unless it is taken: the file's CommunityNickname, else the username's local part. */
  nickname: string;
  /** True when the caller gave the nickname (a clash is then refused instead of resolved with a suffix). */
  explicitNickname: boolean;
  /** Refusals found without the org: no name, a name with no Latin letter or digit, control characters. */
  problems: Problem[];
};

/** The username and name the inputs stand for, and every problem that needs no org to find. */
export function userIdentity(input: UserFieldInput, runningUsername: string): UserIdentity {
  const file = input.fileFields ?? {};
  const problems: Problem[] = controlCharacterProblems(input);
  const name = str(input.name) ?? str(input.lastName) ?? str(file.LastName);
  const given = str(input.username) ?? str(file.Username);
  let username: string;
  if (given) {
    username = given.toLowerCase();
  } else if (!name) {
    problems.push(problem('NameRequired'));
    username = '';
  } else if (slug(name) === '') {
    problems.push(problem('NameWithoutLatin', [name], [usernameDomain(runningUsername)]));
    username = '';
  } else {
    username = deriveUsername(name, runningUsername);
  }
  const fileNickname = str(file.CommunityNickname);
  return {
    username,
    explicitUsername: given !== undefined,
    name,
    nickname: fileNickname ?? username.split('@')[0].slice(0, MAX_NICKNAME),
    explicitNickname: fileNickname !== undefined,
    problems,
  };
}

function controlCharacterProblems(input: UserFieldInput): Problem[] {
  const flags: Array<[string, unknown]> = [
    ['--name', input.name],
    ['--username', input.username],
    ['--email', input.email],
    ['--first-name', input.firstName],
    ['--last-name', input.lastName],
    ['--alias', input.alias],
    ...Object.entries(input.fileFields ?? {}),
  ];
  return flags
    .filter(([, value]) => typeof value === 'string' && hasControlCharacters(value))
    .map(([where, value]) => problem('ControlCharacters', [where, showControlCharacters(String(value))]));
}

/**
 * The User fields the caller gave (flags over the file), by API name: the only fields compared with an
 * existing user or written to it. Username is the user's identity, never a field to change; --name only
 * feeds defaults.
 */
export function givenUserFields(input: UserFieldInput): Record<string, UserFieldValue> {
  const given: Record<string, UserFieldValue> = {};
  for (const [key, value] of Object.entries(input.fileFields ?? {})) {
    if (key !== 'Username') given[key] = typeof value === 'string' ? value.trim() : (value as UserFieldValue);
  }
  const flags: Array<[string, string | undefined]> = [
    ['Email', input.email],
    ['FirstName', input.firstName],
    ['LastName', input.lastName],
    ['Alias', input.alias],
  ];
  for (const [key, value] of flags) if (str(value)) given[key] = str(value) as string;
  return given;
}

/** A free nickname: `wanted` when nobody has it, else `wanted2`, `wanted3`, … (shortened to fit 40 characters). */
export function freeNickname(wanted: string, taken: ReadonlySet<string>): string {
  const base = wanted.slice(0, MAX_NICKNAME);
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = String(n);
    const candidate = `${base.slice(0, MAX_NICKNAME - suffix.length)}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * The new user's record (without ProfileId) with every default, and every field problem at once. The
 * identity's problems are included.
 */
export function newUserFields(
  identity: UserIdentity,
  input: UserFieldInput,
  runningUser: RunningUser | undefined,
  takenNicknames: ReadonlySet<string> = new Set()
): { fields: NewUserFields; problems: Problem[] } {
  const file = input.fileFields ?? {};
  const problems: Problem[] = [...identity.problems];
  const given = givenUserFields(input);
  const local = identity.username.split('@')[0];
  const name = identity.name ?? local;
  if (identity.explicitNickname && takenNicknames.has(identity.nickname.toLowerCase())) {
    problems.push(problem('NicknameTaken', [identity.nickname]));
  }
  const fields: NewUserFields = {
    ...given,
    Username: identity.username,
    LastName: str(given.LastName) ?? name,
    Email: str(given.Email) ?? runningUser?.email ?? '',
    Alias: str(given.Alias) ?? deriveAlias(name),
    CommunityNickname: identity.explicitNickname ? identity.nickname : freeNickname(identity.nickname, takenNicknames),
    TimeZoneSidKey: str(file.TimeZoneSidKey) ?? runningUser?.timeZoneSidKey ?? 'America/Los_Angeles',
    LocaleSidKey: str(file.LocaleSidKey) ?? runningUser?.localeSidKey ?? 'en_US',
    LanguageLocaleKey: str(file.LanguageLocaleKey) ?? runningUser?.languageLocaleKey ?? 'en_US',
    EmailEncodingKey: str(file.EmailEncodingKey) ?? runningUser?.emailEncodingKey ?? 'UTF-8',
  };
  if (identity.problems.length === 0) problems.push(...checkUserFields(fields, identity.explicitUsername));
  return { fields, problems };
}

/** The field rules: email and username shape, lengths (alias ≤ 8). */
export function checkUserFields(fields: NewUserFields, explicitUsername = true): Problem[] {
  const problems: Problem[] = [];
  if (!fields.Email) problems.push(problem('EmailRequired'));
  else if (!isEmailShaped(fields.Email)) problems.push(problem('InvalidEmail', [fields.Email]));
  if (!isEmailShaped(fields.Username)) {
    problems.push(problem(explicitUsername ? 'InvalidUsername' : 'InvalidDerivedUsername', [fields.Username]));
  } else if (fields.Username.length > MAX_USERNAME) {
    problems.push(problem('UsernameTooLong', [fields.Username, fields.Username.length, MAX_USERNAME], []));
  }
  if (fields.Alias.length > MAX_ALIAS) problems.push(problem('AliasTooLong', [fields.Alias, fields.Alias.length, MAX_ALIAS], []));
  if (fields.LastName.length > MAX_NAME) problems.push(problem('FieldTooLong', ['LastName', fields.LastName.length, MAX_NAME], []));
  const firstName = fields.FirstName;
  if (typeof firstName === 'string' && firstName.length > MAX_FIRST_NAME) {
    problems.push(problem('FieldTooLong', ['FirstName', firstName.length, MAX_FIRST_NAME], []));
  }
  if (fields.CommunityNickname.length > MAX_NICKNAME) {
    problems.push(problem('FieldTooLong', ['CommunityNickname', fields.CommunityNickname.length, MAX_NICKNAME], []));
  }
  return problems;
}

/** The given field values that the existing user's checks also apply to (email shape, lengths). */
export function checkGivenFields(given: Record<string, UserFieldValue>): Problem[] {
  const problems: Problem[] = [];
  const email = given.Email;
  if (typeof email === 'string' && !isEmailShaped(email)) problems.push(problem('InvalidEmail', [email]));
  const alias = given.Alias;
  if (typeof alias === 'string' && alias.length > MAX_ALIAS) problems.push(problem('AliasTooLong', [alias, alias.length, MAX_ALIAS], []));
  const lastName = given.LastName;
  if (typeof lastName === 'string' && lastName.length > MAX_NAME) problems.push(problem('FieldTooLong', ['LastName', lastName.length, MAX_NAME], []));
  const firstName = given.FirstName;
  if (typeof firstName === 'string' && firstName.length > MAX_FIRST_NAME) {
    problems.push(problem('FieldTooLong', ['FirstName', firstName.length, MAX_FIRST_NAME], []));
  }
  return problems;
}

/** One field whose org value differs from the one the caller gave. */
export type FieldDrift = { field: string; org: UserFieldValue; requested: UserFieldValue };

const normalized = (fieldName: string, value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).trim();
  if (fieldName === 'Email' || fieldName === 'Username') return text.toLowerCase();
  if (/Id$/.test(fieldName)) return id15(text);
  return text;
};

/** Every given field whose value differs from the org's (Email case-insensitively, Ids 15/18-blind). */
export function fieldDrift(given: Record<string, UserFieldValue>, org: Row): FieldDrift[] {
  return Object.entries(given)
    .filter(([name, value]) => normalized(name, value) !== normalized(name, org[name]))
    .map(([name, value]) => ({ field: name, org: (org[name] ?? null) as UserFieldValue, requested: value }));
}

/** Whether an existing user is the one the integration's name stands for (its Name or LastName is that name). */
export function nameMatches(user: { name: string }, row: Row | undefined, name: string | undefined): boolean {
  if (!name) return true;
  const wanted = name.trim().toLowerCase();
  return [user.name, strOrNull(row, 'LastName') ?? ''].some((n) => n.trim().toLowerCase() === wanted);
}

/** What one read tells about the users a command creates or changes. */
export type UserState = {
  /** The target users that exist, with their grants (frozen state not read: `isFrozen` false). */
  users: UserWithGrants[];
  /** Each existing target's User row (base fields plus the given ones), by lower-case username. */
  rows: Map<string, Row>;
  runningUser: RunningUser | undefined;
  /** Lower-case nicknames in use that start with one of the wanted nicknames. */
  takenNicknames: Set<string>;
};

/**
 * One User query (the targets, the running user, and every user whose nickname starts like a wanted one)
 * plus the targets' PSL and permission set assignments: three queries, whatever the number of users.
 * `fields`: extra User fields to read for drift (the ones the caller gave).
 */
export function userStateRead(input: {
  usernames: readonly string[];
  runningUsername: string;
  nicknames?: readonly string[];
  fields?: readonly string[];
}): ReadPart<UserState> {
  const targets = [...new Set(input.usernames.map((u) => u.toLowerCase()).filter(Boolean))];
  const lookup = targets.length > 0 ? targets : ['-'];
  const grants = usersRead({ kind: 'usernames', usernames: lookup });
  const known = new Set(BASE_USER_FIELDS.map((f) => f.toLowerCase()));
  const extra = [...new Set(input.fields ?? [])].filter((f) => !known.has(f.toLowerCase()) && /^[A-Za-z][A-Za-z0-9_]*$/.test(f));
  const where = [
    `Username IN ${inList([...lookup, input.runningUsername.toLowerCase()])}`,
    ...[...new Set(input.nicknames ?? [])].filter(Boolean).map((n) => `CommunityNickname LIKE ${likePrefix(n)}`),
  ].join(' OR ');
  return {
    queries: [`SELECT ${[...BASE_USER_FIELDS, ...extra].join(', ')} FROM User WHERE ${where}`, grants.queries[1], grants.queries[2]],
    assemble([userRows, pslRows, psaRows]): UserState {
      const targetSet = new Set(targets);
      const targetRows = userRows.filter((r) => targetSet.has(requiredStr(r, 'Username').toLowerCase()));
      const running = userRows.find((r) => requiredStr(r, 'Username').toLowerCase() === input.runningUsername.toLowerCase());
      return {
        users: grants.assemble([targetRows, pslRows, psaRows, []]),
        rows: new Map(targetRows.map((r) => [requiredStr(r, 'Username').toLowerCase(), r])),
        runningUser: running ? toRunningUser(running) : undefined,
        takenNicknames: new Set(userRows.map((r) => strOrNull(r, 'CommunityNickname')).filter((n): n is string => !!n).map((n) => n.toLowerCase())),
      };
    },
  };
}

function toRunningUser(u: Row): RunningUser {
  return {
    id: requiredStr(u, 'Id'),
    username: requiredStr(u, 'Username'),
    email: strOrNull(u, 'Email') ?? '',
    localeSidKey: strOrNull(u, 'LocaleSidKey') ?? 'en_US',
    timeZoneSidKey: strOrNull(u, 'TimeZoneSidKey') ?? 'America/Los_Angeles',
    languageLocaleKey: strOrNull(u, 'LanguageLocaleKey') ?? 'en_US',
    emailEncodingKey: strOrNull(u, 'EmailEncodingKey') ?? 'UTF-8',
  };
}


