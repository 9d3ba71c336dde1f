/**
 * The SOAP / Bulk API login() path, served honestly: a strong generated password set through the REST
 * "Set and Reset User Passwords" resource (`POST sobjects/User/<Id>/password`), written only to a new 0600
 * file, never printed; plus the facts about login()'s retirement (README "The SOAP login() path").
 */
import { randomInt } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dataUrl, type OrgConnection } from '../api.js';
import { writeSecretFile } from '../credentials/secretFile.js';
import { bool, readParts, str, strOrNull, type ReadPart, type Row } from '../read.js';
import { rightsRead } from '../rights.js';
import { quote } from '../soql.js';
import { lostReason, type Interrupted } from './lostAnswer.js';
import { errorText, lifecycleUsersRead, messages, resolveUsers } from './users.js';

/** Long enough for any minimum Salesforce lets an org set, with every character class a policy can demand. */
export const PASSWORD_LENGTH = 40;
const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%&*+-.:=?@^_~'];

/** A random password with every class, without the username's local part or the word "password". */
export function generatePassword(username: string, length = PASSWORD_LENGTH): string {
  const all = CLASSES.join('');
  const local = username.split('@')[0].toLowerCase();
  for (;;) {
    const chars = CLASSES.map((c) => c[randomInt(c.length)]);
    while (chars.length < length) chars.push(all[randomInt(all.length)]);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    const password = chars.join('');
    const lower = password.toLowerCase();
    if (!lower.includes('password') && (local.length < 3 || !lower.includes(local))) return password;
  }
}

export type UseAnyApiAuth = {
  /** false: the org has no such permission (PermissionSet.PermissionsUseAnyApiAuth does not exist). */
  presentInOrg: boolean;
  /** Whether the user holds it (null when the org has no such permission). */
  held: boolean | null;
  /** Permission sets (or the profile's own set) granting it. */
  via: string[];
};

export type PasswordResult = {
  username: string;
  userId: string;
  passwordFile: string;
  set: boolean;
  lastPasswordChangeDate: string | null;
  useAnyApiAuth: UseAnyApiAuth;
  /** login() retirement facts, the security-token advice and the recommended way out. */
  facts: string[];
  error?: string;
  /** Set when the org's answer to setting the password was lost: `set` comes from a re-read of the change date. */
  interrupted?: Interrupted;
};

function passwordStateRead(username: string): ReadPart<{ lastChange: string | null; useAnyApiAuth: UseAnyApiAuth }> {
  const u = quote(username.toLowerCase());
  return {
    queries: [
      `SELECT Id, LastPasswordChangeDate FROM User WHERE Username = ${u}`,
      `SELECT PermissionSet.Name, PermissionSet.IsOwnedByProfile FROM PermissionSetAssignment WHERE Assignee.Username = ${u} AND PermissionSet.PermissionsUseAnyApiAuth = true`,
    ],
    optional: [1],
    assemble([[user], sets], failures) {
      const present = !failures?.[1];
      return {
        lastChange: strOrNull(user, 'LastPasswordChangeDate'),
        useAnyApiAuth: {
          presentInOrg: present,
          held: present ? sets.length > 0 : null,
          via: sets.map((s: Row) => (bool(s, 'PermissionSet.IsOwnedByProfile') ? 'its profile' : str(s, 'PermissionSet.Name'))),
        },
      };
    },
  };
}

export async function setIntegrationPassword(conn: OrgConnection, options: { username: string; passwordFile: string; force: boolean }): Promise<PasswordResult> {
  const [, users, state] = await readParts(conn, [rightsRead(['write:UserPassword']), lifecycleUsersRead([options.username], { withLogin: false }), passwordStateRead(options.username)] as const);
  const [user] = await resolveUsers(conn, [options.username], users, false);
  const facts = passwordFacts(user.username, state.useAnyApiAuth);
  const result: PasswordResult = {
    username: user.username,
    userId: user.id,
    passwordFile: options.passwordFile,
    set: false,
    lastPasswordChangeDate: state.lastChange,
    useAnyApiAuth: state.useAnyApiAuth,
    facts,
  };
  const password = generatePassword(user.username);
  // The file first (a new 0600 file), so the password is never set without the user having it.
  await writeSecretFile(options.passwordFile, password, options.force);
  try {
    await conn.request({
      method: 'POST',
      url: dataUrl(conn, `sobjects/User/${user.id}/password`),
      body: JSON.stringify({ NewPassword: password }),
      headers: { 'content-type': 'application/json' },
    });
    result.set = true;
  } catch (e) {
    result.error = errorText(e);
    // A lost answer: the change date tells whether the org took it.
    const [after] = await readParts(conn, [passwordStateRead(user.username)] as const).catch(() => [undefined]);
    if (after && after.lastChange !== state.lastChange) {
      result.set = true;
      result.lastPasswordChangeDate = after.lastChange;
      // The org took it: a success (the result's `interrupted` and its warning say the answer was lost).
      delete result.error;
      result.interrupted = { reason: lostReason(e), complete: true };
    }
  }
  if (!result.set) {
    await rm(options.passwordFile, { force: true });
    throw messages.createError('error.PasswordNotSet', [user.username, result.error ?? '']);
  }
  if (result.lastPasswordChangeDate === state.lastChange) {
    const [after] = await readParts(conn, [passwordStateRead(user.username)] as const).catch(() => [undefined]);
    result.lastPasswordChangeDate = after?.lastChange ?? result.lastPasswordChangeDate;
  }
  return result;
}

function passwordFacts(username: string, useAnyApiAuth: UseAnyApiAuth): string[] {
  const facts = messages.getMessages('password.facts');
  facts.push(
    useAnyApiAuth.presentInOrg
      ? useAnyApiAuth.held
        ? messages.getMessage('password.useAnyApiAuth.held', [useAnyApiAuth.via.join(', ')])
        : messages.getMessage('password.useAnyApiAuth.missing', [username])
      : messages.getMessage('password.useAnyApiAuth.absent')
  );
  facts.push(...messages.getMessages('password.advice'));
  return facts;
}
