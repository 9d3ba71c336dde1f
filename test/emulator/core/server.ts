/**
 * The HTTP layer: path normalisation, bearer-token auth, injected latency and faults, JSON parsing, the
 * request log, the control endpoint, and Salesforce's JSON content type on every answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from './context.js';
import type { Faults } from './faults.js';
import { errorBody, isObject, isReadRequest, jsonParserError, type ApiRequest, type ApiResponse } from './http.js';
import { dispatch } from './router.js';
import { SalesforceError } from './types.js';

export type RequestLogEntry = {
  method: string;
  /** Decoded path with repeated slashes collapsed, without the query string. */
  path: string;
  /** The raw query string (without `?`). */
  query: string;
  /** 0 when the connection was dropped on purpose. */
  status: number;
  /**
   * Record writes the request attempted (inserts, updates, deletes of one record, counted like failNthWrite,
   * rolled-back ones included): 0 for a request that only read.
   */
  writes: number;
  startedAt: string;
  durationMs: number;
};

export type Runtime = {
  ctx: Context;
  requests: RequestLogEntry[];
  sessionValid: boolean;
};

const JSON_TYPE = 'application/json;charset=UTF-8';

const INVALID_SESSION: ApiResponse = { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
const UNAVAILABLE: ApiResponse = { status: 503, body: [{ message: 'Service Unavailable', errorCode: 'SERVER_UNAVAILABLE' }] };
const LIMIT_EXCEEDED: ApiResponse = { status: 403, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }] };

/** `//services//data/` → `/services/data/`, percent-decoded. */
export function normalisePath(rawPath: string): string {
  const collapsed = rawPath.replace(/\/{2,}/g, '/');
  try {
    return decodeURIComponent(collapsed);
  } catch {
    return collapsed;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw jsonParserError(`Unexpected character in the request body: ${(e as Error).message}`);
  }
}

function send(res: ServerResponse, response: ApiResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  res.writeHead(response.status, { 'content-type': JSON_TYPE, ...headers }).end(JSON.stringify(response.body));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Faults from JSON (the control endpoint): string matches stay substrings. */
function faultsFrom(body: unknown): Faults {
  if (!isObject(body)) throw jsonParserError('The faults body must be a JSON object');
  return body;
}

function control(runtime: Runtime, method: string, path: string, body: unknown): ApiResponse {
  if (method === 'GET' && path === '/__emulator/requests') return { status: 200, body: runtime.requests };
  if (method === 'POST' && path === '/__emulator/reset-log') {
    runtime.requests.length = 0;
    return { status: 200, body: { success: true } };
  }
  if (method === 'POST' && path === '/__emulator/faults') {
    runtime.ctx.faults.set(faultsFrom(body));
    return { status: 200, body: { success: true } };
  }
  return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
}

async function handle(runtime: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const [rawPath, query = ''] = (req.url ?? '/').split(/\?(.*)/s);
  const path = normalisePath(rawPath);
  const method = (req.method ?? 'GET').toUpperCase();
  const isControl = path.startsWith('/__emulator/');
  let writes = 0;
  const log = (status: number): void => {
    if (isControl) return;
    runtime.requests.push({ method, path, query, status, writes, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started });
  };
  const { ctx } = runtime;
  const text = await readBody(req);
  if (!isControl) await sleep(ctx.faults.latencyMs());

  const authorised = runtime.sessionValid && req.headers.authorization === `Bearer ${ctx.org.accessToken}`;
  let response: ApiResponse;
  let read = false;
  try {
    if (!authorised) response = INVALID_SESSION;
    else if (isControl) response = control(runtime, method, path, parseJson(text));
    else if (ctx.faults.take('dropConnection', `${method} ${path}`)) {
      log(0);
      req.socket.destroy();
      return;
    } else if (ctx.faults.take('http503', `${method} ${path}`)) response = UNAVAILABLE;
    else if (ctx.faults.take('requestLimitExceeded', `${method} ${path}`)) response = LIMIT_EXCEEDED;
    else {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      // Form bodies (the OAuth revoke endpoint) stay text.
      const form = (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const apiRequest: ApiRequest = { method, path, query: new URLSearchParams(query), headers, body: form ? text : parseJson(text) };
      read = isReadRequest(apiRequest);
      // holdWritesUntilReads: a write waits (nothing of it run yet) until other clients' reads were answered.
      const hold = read ? undefined : ctx.faults.holdWrite();
      if (hold) await hold;
      ctx.faults.startRequest();
      try {
        response = dispatch(ctx, apiRequest);
      } finally {
        writes = ctx.faults.requestWriteCount();
      }
    }
  } catch (e) {
    if (!(e instanceof SalesforceError)) throw e;
    response = { status: e.status, body: errorBody(e) };
  } finally {
    ctx.db.commit();
  }
  if (ctx.faults.takeDropAfterCommit()) {
    // dropResponseAfterCommit: the writes above are committed; the answer is lost.
    log(0);
    req.socket.destroy();
    return;
  }
  send(res, response);
  log(response.status);
  if (read) ctx.faults.readAnswered(`${method} ${path}`);
}

export function createEmulatorServer(runtime: Runtime): Server {
  return createServer((req, res) => {
    handle(runtime, req, res).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      if (!res.headersSent) send(res, { status: 500, body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: `Emulator failure: ${message}` }] });
    });
  });
}
