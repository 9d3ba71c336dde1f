/**
 * Connect REST resources for External Client Apps (see README "Lifecycle resources"):
 * - OAuth Usage (API 59.0+): `apps/oauth/usage`, `…/usage/<app>/users`, `…/usage/<app>/<user>/tokens` (GET, DELETE),
 *   `…/usage/<app>/tokens` (DELETE), `…/usage/tokens/<token>` (DELETE);
 * - OAuth Credentials (API 60.0+): `apps/oauth/credentials/<app>` and `…/<app>/<consumer>?part=key|secret|keyandsecret`;
 * - OAuth Staged Credentials (API 65.0+): `…/<app>/<consumer>/staged` (GET, POST) and `…/staged/<id>` (GET, PATCH
 *   `{"command":"rotate"}`, DELETE).
 * And the OAuth revoke endpoint `POST /services/oauth2/revoke` (form body `token=<OauthToken.DeleteToken>`).
 */
import type { Context } from '../../core/context.js';
import { sameId } from '../../core/ids.js';
import { isObject, methodNotAllowed, notFound, text, type ApiRequest, type ApiResponse } from '../../core/http.js';
import {
  lifecycleState,
  newCredential,
  refreshStaged,
  requirePermissions,
  STAGED_VALIDITY_DAYS,
  stagedId,
  type OauthConsumer,
  type StagedCredential,
} from '../lifecycle.js';
import { SalesforceError, type SRecord } from '../../core/types.js';

const DAY = 86_400_000;

const major = (version: string): number => Number.parseInt(version, 10);

function requireVersion(version: string, min: number): void {
  if (major(version) < min) throw notFound();
}

function findApp(ctx: Context, id: string): SRecord {
  const found = ctx.db.byId(id);
  if (!found || found.type !== 'ExternalClientApplication') throw notFound();
  return found.record;
}

const iso = (date: Date): string => date.toISOString().replace('Z', '+0000');

// ---------------------------------------------------------------- OAuth usage

function tokensOfApp(ctx: Context, app: SRecord): SRecord[] {
  return ctx.db.records('OauthToken').filter((t) => t.AppName === app.MasterLabel);
}

function tokenBody(ctx: Context, base: string, app: SRecord, token: SRecord): Record<string, unknown> {
  const user = ctx.db.byId(String(token.UserId))?.record;
  return {
    accessTokenFormat: 'Opaque',
    appDeveloperName: app.DeveloperName,
    appIdentifier: app.Id,
    initialConnectionAt: text(token.CreatedDate),
    lastUsedAt: text(token.LastUsedDate),
    revocationUrl: `${base}/apps/oauth/usage/tokens/${token.Id}`,
    useCount: token.UseCount,
    userIdentifier: token.UserId,
    username: user?.Username ?? null,
  };
}

/** Deletes the tokens (one record write each, all or nothing). */
function deleteTokens(ctx: Context, tokens: SRecord[]): void {
  const mark = ctx.db.savepoint();
  try {
    for (const token of tokens) {
      ctx.faults.countWrite();
      ctx.db.delete(token.Id);
    }
  } catch (e) {
    ctx.db.rollbackTo(mark);
    throw e;
  }
}

function usageRoute(ctx: Context, req: ApiRequest, base: string, segments: string[]): ApiResponse {
  const write = req.method === 'DELETE';
  if (write) requirePermissions(ctx, ['ManageUsers'], 'revoke OAuth tokens');
  else requirePermissions(ctx, ['ViewSetup'], 'view OAuth usage');
  if (segments.length === 0) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
    const apps = ctx.db
      .records('ExternalClientApplication')
      .filter((app) => tokensOfApp(ctx, app).length > 0)
      .map((app) => ({
        developerName: app.DeveloperName,
        identifier: app.Id,
        label: app.MasterLabel,
        distributionState: app.DistributionState,
        userCount: new Set(tokensOfApp(ctx, app).map((t) => String(t.UserId))).size,
        usersUrl: `${base}/apps/oauth/usage/${app.Id}/users`,
      }));
    return { status: 200, body: { apps, currentPageUrl: `${base}/apps/oauth/usage?page=0`, nextPageUrl: `${base}/apps/oauth/usage?page=1` } };
  }
  if (segments[0] === 'tokens' && segments.length === 2) {
    if (req.method !== 'DELETE') throw methodNotAllowed(req.method, ['DELETE']);
    const token = ctx.db.byId(segments[1]);
    if (!token || token.type !== 'OauthToken') throw notFound();
    deleteTokens(ctx, [token.record]);
    return { status: 204 };
  }
  const app = findApp(ctx, segments[0]);
  if (segments.length === 2 && segments[1] === 'users') {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
    const byUser = new Map<string, SRecord[]>();
    for (const t of tokensOfApp(ctx, app)) byUser.set(String(t.UserId), [...(byUser.get(String(t.UserId)) ?? []), t]);
    const users = [...byUser.entries()].map(([userId, tokens]) => ({
      userIdentifier: userId,
      username: ctx.db.byId(userId)?.record.Username ?? null,
      tokenCount: tokens.length,
      tokensUrl: `${base}/apps/oauth/usage/${app.Id}/${userId}/tokens`,
    }));
    return { status: 200, body: { users, currentPageUrl: `${base}/apps/oauth/usage/${app.Id}/users?page=0`, nextPageUrl: `${base}/apps/oauth/usage/${app.Id}/users?page=1` } };
  }
  if (segments.length === 2 && segments[1] === 'tokens') {
    if (req.method !== 'DELETE') throw methodNotAllowed(req.method, ['DELETE']);
    deleteTokens(ctx, tokensOfApp(ctx, app));
    return { status: 204 };
  }
  if (segments.length === 3 && segments[2] === 'tokens') {
    const user = ctx.db.byId(segments[1]);
    if (!user || user.type !== 'User') throw notFound();
    const tokens = tokensOfApp(ctx, app).filter((t) => sameId(String(t.UserId), user.record.Id));
    if (req.method === 'GET') return { status: 200, body: { tokens: tokens.map((t) => tokenBody(ctx, base, app, t)) } };
    if (req.method !== 'DELETE') throw methodNotAllowed(req.method, ['GET', 'DELETE']);
    deleteTokens(ctx, tokens);
    return { status: 204 };
  }
  throw notFound();
}

// ---------------------------------------------------------------- OAuth credentials

function requireLocal(app: SRecord): void {
  if (app.DistributionState !== 'Local') {
    throw new SalesforceError('INSUFFICIENT_ACCESS', 'OAuth credentials are available only for local external client apps. This app is packaged.', 403);
  }
}

function requireSecretAccess(ctx: Context): void {
  if (!lifecycleState(ctx.db).secretRestAccess) {
    throw new SalesforceError(
      'FUNCTIONALITY_NOT_ENABLED',
      'Access to External Client App consumer secrets via REST API is not currently enabled. Turn on "Allow access to External Client App consumer secrets via REST API" in External Client App Settings.',
      403
    );
  }
}

function consumerUrls(base: string, app: SRecord, consumer: OauthConsumer): { url: string; stagedCredentialsUrl: string } {
  const url = `${base}/apps/oauth/credentials/${app.Id}/${consumer.id}`;
  return { url, stagedCredentialsUrl: `${url}/staged` };
}

function stagedBody(base: string, app: SRecord, consumer: OauthConsumer, staged: StagedCredential): Record<string, unknown> {
  const urls = consumerUrls(base, app, consumer);
  return {
    createdBy: staged.createdBy,
    createdDate: staged.createdDate,
    expirationDate: staged.expirationDate,
    id: staged.id,
    key: staged.key,
    secret: staged.secret,
    stagedCredentialsUrl: `${urls.stagedCredentialsUrl}/${staged.id}`,
    state: staged.state,
    url: urls.url,
  };
}

function credentialsRoute(ctx: Context, req: ApiRequest, base: string, version: string, segments: string[]): ApiResponse {
  requireVersion(version, 60);
  const app = findApp(ctx, segments[0]);
  requirePermissions(ctx, ['ExternalClientAppDeveloper'], 'view the OAuth credentials of external client apps');
  requireLocal(app);
  const consumers = lifecycleState(ctx.db).consumers.get(app.Id.slice(0, 15)) ?? [];
  if (segments.length === 1) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
    return { status: 200, body: { consumers: consumers.map((c) => ({ id: c.id, key: c.primary.key, name: c.name, ...consumerUrls(base, app, c) })) } };
  }
  const consumer = consumers.find((c) => c.id === segments[1]);
  if (!consumer) throw notFound();
  refreshStaged(ctx, consumer);
  if (segments.length === 2) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
    const part = req.query.get('part') ?? 'key';
    if (!['key', 'secret', 'keyandsecret'].includes(part)) {
      throw new SalesforceError('INVALID_API_INPUT', `Invalid value for part: ${part}. Values are key, secret, and keyandsecret.`);
    }
    const body: Record<string, unknown> = { id: consumer.id, name: consumer.name, ...consumerUrls(base, app, consumer) };
    if (part !== 'key') {
      requireSecretAccess(ctx);
      requirePermissions(ctx, ['ViewClientSecret'], 'view consumer secrets');
      body.secret = consumer.primary.secret;
    }
    if (part !== 'secret') body.key = consumer.primary.key;
    return { status: 200, body };
  }
  if (segments[2] !== 'staged' || segments.length > 4) throw notFound();
  requireVersion(version, 65);
  requireSecretAccess(ctx);
  requirePermissions(ctx, ['ExternalClientAppDeveloper', 'ViewClientSecret'], 'stage, rotate and delete OAuth credentials');
  if (segments.length === 3) {
    if (req.method === 'GET') {
      return { status: 200, body: { stagedCredentials: consumer.staged ? [stagedBody(base, app, consumer, consumer.staged)] : [] } };
    }
    if (req.method !== 'POST') throw methodNotAllowed(req.method, ['GET', 'POST']);
    if (consumer.staged && consumer.staged.state !== 'Expired') {
      throw new SalesforceError('INVALID_API_INPUT', 'This OAuth consumer already has staged credentials. Delete them before you stage new ones.');
    }
    ctx.faults.countWrite();
    const now = ctx.now();
    consumer.staged = {
      ...newCredential(),
      id: stagedId(lifecycleState(ctx.db)),
      createdBy: ctx.org.userId,
      createdDate: iso(now),
      expirationDate: iso(new Date(now.getTime() + STAGED_VALIDITY_DAYS * DAY)),
      state: 'Active',
    };
    return { status: 201, body: { stagedCredentials: [stagedBody(base, app, consumer, consumer.staged)] } };
  }
  const staged = consumer.staged;
  if (!staged || staged.id !== segments[3]) throw notFound();
  if (req.method === 'GET') return { status: 200, body: stagedBody(base, app, consumer, staged) };
  if (req.method === 'DELETE') {
    ctx.faults.countWrite();
    consumer.staged = undefined;
    return { status: 204 };
  }
  if (req.method !== 'PATCH') throw methodNotAllowed(req.method, ['GET', 'PATCH', 'DELETE']);
  const command = isObject(req.body) ? req.body.command : undefined;
  if (command !== 'rotate') throw new SalesforceError('INVALID_API_INPUT', `Invalid command: ${String(command)}. The only command is rotate.`);
  if (staged.state !== 'Active') throw new SalesforceError('INVALID_API_INPUT', `Staged credentials in state ${staged.state} can't be rotated.`);
  ctx.faults.countWrite();
  const now = ctx.now();
  const previous = consumer.primary;
  consumer.primary = { key: staged.key, secret: staged.secret };
  consumer.staged = {
    ...previous,
    id: stagedId(lifecycleState(ctx.db)),
    createdBy: ctx.org.userId,
    createdDate: iso(now),
    expirationDate: iso(new Date(now.getTime() + STAGED_VALIDITY_DAYS * DAY)),
    state: 'Rotated',
  };
  return { status: 200, body: stagedBody(base, app, consumer, consumer.staged) };
}

/** Routes `apps/oauth/…` (segments after `apps`). */
export function appsRoute(ctx: Context, req: ApiRequest, version: string, segments: string[]): ApiResponse {
  const base = `/services/data/v${version}`;
  if (segments[0] !== 'oauth') throw notFound();
  if (segments[1] === 'usage') {
    requireVersion(version, 59);
    return usageRoute(ctx, req, base, segments.slice(2));
  }
  if (segments[1] === 'credentials' && segments.length >= 3) return credentialsRoute(ctx, req, base, version, segments.slice(2));
  throw notFound();
}

/**
 * `POST /services/oauth2/revoke` with `token=<DeleteToken>` (form body): deletes that OauthToken. Answers 200
 * with no body; an unknown token answers 400 `{"error":"unsupported_token_type","error_description":"this token type is not supported"}`.
 */
export function revokeRoute(ctx: Context, req: ApiRequest): ApiResponse {
  if (req.method !== 'POST') throw methodNotAllowed(req.method, ['POST']);
  const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
  const token = form.get('token') ?? '';
  const record = token ? ctx.db.records('OauthToken').find((t) => t.DeleteToken === token) : undefined;
  if (!record) return { status: 400, body: { error: 'unsupported_token_type', error_description: 'this token type is not supported' } };
  deleteTokens(ctx, [record]);
  return { status: 200 };
}

