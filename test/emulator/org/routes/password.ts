/**
 * REST "Set and Reset User Passwords": `sobjects/User/<Id>/password` — GET `{isExpired}`, POST
 * `{"NewPassword": "…"}` (204; checked against the org's password policy), DELETE (resets: 200 `{NewPassword}`).
 * Needs "Reset User Passwords and Unlock Users" or Manage Users. A set sets `User.LastPasswordChangeDate`.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from '../../core/context.js';
import { findRecord } from '../../core/dml.js';
import { isObject, methodNotAllowed, type ApiRequest, type ApiResponse } from '../../core/http.js';
import { hashPassword, lifecycleState, runningUserHas, type PasswordPolicy } from '../lifecycle.js';
import { objectDef } from '../schema.js';
import { SalesforceError, type SRecord } from '../../core/types.js';

const COMPLEXITY: Record<PasswordPolicy['complexity'], { test: (p: string) => boolean; message: string }> = {
  NoRestriction: { test: () => true, message: '' },
  AlphaNumeric: { test: (p) => /[a-z]/i.test(p) && /\d/.test(p), message: 'Your password must include letters and numbers.' },
  SpecialCharacters: {
    test: (p) => /[a-z]/i.test(p) && /\d/.test(p) && /[^a-z0-9]/i.test(p),
    message: 'Your password must include letters, numbers, and special characters.',
  },
  UpperLowerCaseNumeric: {
    test: (p) => /[a-z]/.test(p) && /[A-Z]/.test(p) && /\d/.test(p),
    message: 'Your password must include numbers, uppercase and lowercase letters.',
  },
  UpperLowerCaseNumericSpecialCharacters: {
    test: (p) => /[a-z]/.test(p) && /[A-Z]/.test(p) && /\d/.test(p) && /[^a-zA-Z0-9]/.test(p),
    message: 'Your password must include numbers, uppercase and lowercase letters, and special characters.',
  },
};

const invalid = (message: string): SalesforceError => new SalesforceError('INVALID_NEW_PASSWORD', message, 400);

function checkPolicy(policy: PasswordPolicy, user: SRecord, password: string): void {
  if (password.length < policy.minLength) throw invalid(`Your password must be at least ${policy.minLength} characters long.`);
  if (!COMPLEXITY[policy.complexity].test(password)) throw invalid(COMPLEXITY[policy.complexity].message);
  if (/password/i.test(password)) throw invalid('Your password cannot contain the word password.');
  if (password.toLowerCase().includes(String(user.Username).split('@')[0].toLowerCase())) throw invalid('Your password cannot contain your username.');
}

function setPassword(ctx: Context, user: SRecord, password: string): void {
  const state = lifecycleState(ctx.db);
  const mark = ctx.db.savepoint();
  try {
    ctx.faults.countWrite();
    ctx.db.update(user, { LastPasswordChangeDate: ctx.now().toISOString() });
    state.passwords.set(user.Id.slice(0, 15), hashPassword(password));
  } catch (e) {
    ctx.db.rollbackTo(mark);
    throw e;
  }
}

/** `sobjects/User/<Id>/password`. */
export function passwordRoute(ctx: Context, req: ApiRequest, id: string): ApiResponse {
  const def = objectDef('User');
  if (!def) throw new Error('User is not defined');
  if (!runningUserHas(ctx, 'ResetPasswords') && !runningUserHas(ctx, 'ManageUsers')) {
    throw new SalesforceError('INSUFFICIENT_ACCESS', 'insufficient access rights on cross-reference id', 403);
  }
  const user = findRecord(ctx, def, id);
  if (req.method === 'GET') return { status: 200, body: { isExpired: false } };
  if (user.IsActive !== true) throw new SalesforceError('INACTIVE_OWNER_OR_USER', 'operation performed with inactive user', 400);
  const state = lifecycleState(ctx.db);
  if (req.method === 'POST') {
    const password = isObject(req.body) ? req.body.NewPassword : undefined;
    if (typeof password !== 'string') throw new SalesforceError('JSON_PARSER_ERROR', 'NewPassword is required', 400);
    checkPolicy(state.passwordPolicy, user, password);
    setPassword(ctx, user, password);
    return { status: 204 };
  }
  if (req.method === 'DELETE') {
    const generated = `${randomBytes(12).toString('base64url')}aA1!`;
    setPassword(ctx, user, generated);
    return { status: 200, body: { NewPassword: generated } };
  }
  throw methodNotAllowed(req.method, ['GET', 'POST', 'DELETE']);
}
