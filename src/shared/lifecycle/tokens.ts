/**
 * Revoking a user's OAuth tokens, the ways Salesforce documents: for an External Client App, the Connect REST
 * OAuth Usage resource `DELETE apps/oauth/usage/<app>/<user>/tokens` (one request per app); for any other app
 * (connected apps), the OAuth revoke endpoint with the token's `DeleteToken` (`POST /services/oauth2/revoke`,
 * one request per token; OauthToken itself can't be deleted through the API). Then the tokens are counted
 * again, so the result says what the org holds. `DeleteToken` values never leave this module.
 */
import type { OrgConnection } from '../api.js';
import { dataUrl } from '../api.js';
import { readParts, str, strOrNull, type ReadPart, type Row } from '../read.js';
import { quote } from '../soql.js';
import { countOf } from '../model/count.js';
import { answerLost, lostReason, type Interrupted } from './lostAnswer.js';
import { errorText, messages } from './users.js';

export type Eca = { id: string; developerName: string; label: string; distributionState: string | null };

export type TokenRow = { id: string; appName: string; userId: string; deleteToken: string | null };

export type UserTokens = { tokens: TokenRow[]; ecas: Eca[]; ecasRead: boolean };

const tokenQuery = (username: string, withDeleteToken: boolean): string =>
  `SELECT Id, AppName, UserId${withDeleteToken ? ', DeleteToken' : ''} FROM OauthToken WHERE User.Username = ${quote(username.toLowerCase())}`;

/** The user's tokens and the org's External Client Apps (that query may fail: then every app is treated as a connected app). */
export function userTokensRead(username: string): ReadPart<UserTokens> {
  return {
    queries: [tokenQuery(username, true), 'SELECT Id, DeveloperName, MasterLabel, DistributionState FROM ExternalClientApplication'],
    optional: [1],
    assemble([tokenRows, ecaRows], failures): UserTokens {
      return {
        tokens: tokenRows.map((r: Row) => ({ id: str(r, 'Id'), appName: str(r, 'AppName'), userId: str(r, 'UserId'), deleteToken: strOrNull(r, 'DeleteToken') })),
        ecas: ecaRows.map((r: Row) => ({ id: str(r, 'Id'), developerName: str(r, 'DeveloperName'), label: str(r, 'MasterLabel'), distributionState: strOrNull(r, 'DistributionState') })),
        ecasRead: !failures?.[1],
      };
    },
  };
}

/** The ECA an app name (token AppName, ECA DeveloperName or label) refers to. */
export function findEca(ecas: readonly Eca[], name: string): Eca | undefined {
  const lower = name.toLowerCase();
  return ecas.find((e) => e.label.toLowerCase() === lower || e.developerName.toLowerCase() === lower);
}

export type AppRevokeOutcome = {
  app: string;
  /** 'oauthUsage' (ECA, one request for the app) or 'revokeEndpoint' (one request per token). */
  method: 'oauthUsage' | 'revokeEndpoint';
  before: number;
  /** As counted again after the command (equal to `before` on a dry run). */
  remaining: number;
  revoked: number;
  status: 'revoked' | 'wouldRevoke' | 'partial' | 'failed';
  error?: string;
};

export type RevokeOutcome = {
  apps: AppRevokeOutcome[];
  writeRequests: number;
  total: { before: number; revoked: number; remaining: number };
  /** Set when a revocation's answer was lost: the apps' counts come from counting the tokens again (an app they show revoked has no error). */
  interrupted?: Interrupted;
};

/** Tokens grouped by app name, filtered by `--app` (matches AppName, or an ECA's DeveloperName or label). */
export function tokensByApp(data: UserTokens, app?: string): Map<string, TokenRow[]> {
  const groups = new Map<string, TokenRow[]>();
  const eca = app ? findEca(data.ecas, app) : undefined;
  for (const t of data.tokens) {
    if (app && t.appName.toLowerCase() !== app.toLowerCase() && t.appName !== eca?.label) continue;
    groups.set(t.appName, [...(groups.get(t.appName) ?? []), t]);
  }
  return groups;
}

/** Revokes (or, on a dry run, lists) the tokens; never throws for a failed revocation: it is in the outcome. */
export async function revokeTokens(
  conn: OrgConnection,
  data: UserTokens,
  options: { username: string; userId: string; app?: string; dryRun?: boolean }
): Promise<RevokeOutcome> {
  const groups = tokensByApp(data, options.app);
  const outcomes: AppRevokeOutcome[] = [];
  let writeRequests = 0;
  let lost: string | undefined;
  const failed = (e: unknown): string => {
    if (answerLost(e)) lost ??= lostReason(e);
    return errorText(e);
  };
  for (const [app, tokens] of groups) {
    const eca = findEca(data.ecas, app);
    const outcome: AppRevokeOutcome = {
      app,
      method: eca ? 'oauthUsage' : 'revokeEndpoint',
      before: tokens.length,
      remaining: tokens.length,
      revoked: 0,
      status: options.dryRun ? 'wouldRevoke' : 'revoked',
    };
    outcomes.push(outcome);
    if (options.dryRun) continue;
    const errors: string[] = [];
    if (eca) {
      writeRequests++;
      try {
        // eslint-disable-next-line no-await-in-loop
        await conn.request({ method: 'DELETE', url: dataUrl(conn, `apps/oauth/usage/${eca.id}/${options.userId}/tokens`) });
      } catch (e) {
        errors.push(failed(e));
      }
    } else {
      for (const t of tokens) {
        if (!t.deleteToken) {
          errors.push('the token has no DeleteToken');
          continue;
        }
        writeRequests++;
        try {
          // eslint-disable-next-line no-await-in-loop
          await conn.request({
            method: 'POST',
            url: '/services/oauth2/revoke',
            body: new URLSearchParams({ token: t.deleteToken }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          });
        } catch (e) {
          errors.push(failed(e));
        }
      }
    }
    if (errors.length > 0) outcome.error = [...new Set(errors)].join('; ');
  }
  const recounted = !options.dryRun && outcomes.length > 0 ? await recount(conn, options.username, outcomes) : false;
  return {
    ...(lost && recounted ? { interrupted: { reason: lost, complete: outcomes.every((o) => o.status === 'revoked') } } : {}),
    apps: outcomes,
    writeRequests,
    total: {
      before: outcomes.reduce((n, o) => n + o.before, 0),
      revoked: outcomes.reduce((n, o) => n + o.revoked, 0),
      remaining: outcomes.reduce((n, o) => n + o.remaining, 0),
    },
  };
}

/** Counts the tokens again (one query): what is gone is revoked, whatever the answers said. False when the count failed. */
async function recount(conn: OrgConnection, username: string, outcomes: AppRevokeOutcome[]): Promise<boolean> {
  try {
    const [rows] = await readParts(conn, [{ queries: [tokenQuery(username, false)], assemble: ([r]) => r }] as const);
    for (const o of outcomes) {
      o.remaining = rows.filter((r) => strOrNull(r, 'AppName') === o.app).length;
      o.revoked = Math.max(0, o.before - o.remaining);
      o.status = o.remaining === 0 ? 'revoked' : o.revoked > 0 ? 'partial' : 'failed';
      // The org holds none: revoked, whatever an answer said (a lost one is the result's `interrupted`).
      if (o.status === 'revoked') delete o.error;
      else if (!o.error) o.error = messages.getMessage('tokens.remaining', [countOf(o.remaining, 'token')]);
    }
    return true;
  } catch (e) {
    for (const o of outcomes) {
      if (o.error) o.status = 'failed';
      else {
        // The answers said revoked; that could not be confirmed.
        o.revoked = o.before;
        o.remaining = 0;
      }
      o.error = `${o.error ? `${o.error}; ` : ''}could not count the tokens again: ${errorText(e)}`;
    }
    return false;
  }
}

/** 0 everything revoked (or nothing to do), 68 some apps failed, 1 all failed. */
export function revokeExitCode(outcome: RevokeOutcome): number {
  const bad = outcome.apps.filter((a) => a.status === 'failed' || a.status === 'partial').length;
  if (bad === 0) return 0;
  return bad === outcome.apps.length && outcome.total.revoked === 0 ? 1 : 68;
}
