/**
 * Routes one API request (HTTP or composite subrequest) to its handler — the org model's own routes first
 * (model.ts OrgRoute), then the core's — and turns SalesforceErrors into Salesforce's error bodies.
 * Anything unknown answers 404 NOT_FOUND, never a silent success.
 */
import { API_VERSIONS, type Context } from './context.js';
import { errorResponse, notFound, type ApiRequest, type ApiResponse } from './http.js';
import { compositeRoute } from './routes/composite.js';
import { resourceMap, userinfo, versionsList } from './routes/meta.js';
import { queryRoute, toolingRoute } from './routes/query.js';
import { sobjectsRoute } from './routes/sobjects.js';
import { SalesforceError } from './types.js';

/** Splits `/services/data/vNN.0/rest…` into the version and the remaining segments; undefined when not a data path. */
export function parseDataPath(path: string): { version: string; segments: string[] } | undefined {
  const match = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/.exec(path);
  if (!match) return undefined;
  return { version: match[1], segments: (match[2] ?? '').split('/').filter(Boolean) };
}

function checkVersion(version: string): void {
  const major = Number.parseInt(version, 10);
  if (major >= 21 && major <= 30 && version.endsWith('.0')) {
    throw new SalesforceError('GONE', `API version ${version} has been retired. Use version ${API_VERSIONS[0]} or later.`, 410);
  }
  if (!API_VERSIONS.includes(version)) throw notFound();
}

/** The first answer of the model's routes, if one takes the request. */
function orgRoute(ctx: Context, req: ApiRequest, data: { version: string; segments: string[] } | undefined): ApiResponse | undefined {
  for (const route of ctx.model.routes ?? []) {
    const response = route(ctx, req, data);
    if (response) return response;
  }
  return undefined;
}

function dataRoute(ctx: Context, req: ApiRequest, version: string, segments: string[]): ApiResponse {
  checkVersion(version);
  if (!ctx.org.apiEnabled) throw new SalesforceError('API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.', 403);
  const [resource, ...rest] = segments;
  if (resource === undefined && req.method === 'GET') return resourceMap(version);
  const own = orgRoute(ctx, req, { version, segments });
  if (own) return own;
  if (resource === 'sobjects') return sobjectsRoute(ctx, req, version, rest);
  if (resource === 'query' || resource === 'queryAll') return queryRoute(ctx, req, version, rest);
  if (resource === 'tooling') return toolingRoute(req, rest);
  if (resource === 'composite') return compositeRoute(ctx, req, version, rest);
  throw notFound();
}

/** Answers one request; SalesforceErrors become their REST error bodies. */
export function dispatch(ctx: Context, req: ApiRequest): ApiResponse {
  try {
    if (req.path === '/services/oauth2/userinfo' && req.method === 'GET') return userinfo(ctx);
    if ((req.path === '/services/data' || req.path === '/services/data/') && req.method === 'GET') return versionsList();
    const data = parseDataPath(req.path);
    if (data) return dataRoute(ctx, req, data.version, data.segments);
    const own = orgRoute(ctx, req, undefined);
    if (own) return own;
    throw notFound();
  } catch (e) {
    if (e instanceof SalesforceError) return errorResponse(e);
    throw e;
  }
}
