/** A tiny fetch client for the emulator's own tests: calls with the bearer token, returns status, headers and JSON. */
import type { Emulator } from './index.js';

export type Reply = { status: number; headers: Headers; body: unknown };

/** The first error of a REST error body (`[{errorCode, message, fields}]`). */
export type RestError = { errorCode: string; message: string; fields?: string[] };

export type Client = {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, body: unknown): Promise<Reply>;
  patch(path: string, body: unknown): Promise<Reply>;
  del(path: string): Promise<Reply>;
  /** GET …/query?q= and the body. */
  query(soql: string, version?: string): Promise<{ totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> }>;
};

export const V = '/services/data/v62.0';

export function client(emu: Emulator, token = emu.accessToken): Client {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(emu.instanceUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    call,
    get: (path, headers) => call('GET', path, undefined, headers),
    post: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
    del: (path) => call('DELETE', path),
    async query(soql, version = V) {
      const reply = await call('GET', `${version}/query?q=${encodeURIComponent(soql)}`);
      if (reply.status !== 200) throw new Error(`query failed ${reply.status}: ${JSON.stringify(reply.body)}`);
      return reply.body as { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> };
    },
  };
}

/** The first error of a REST error reply. */
export function restError(reply: Reply): RestError {
  return (reply.body as RestError[])[0];
}

/** A valid User insert body (override fields as needed). */
export function newUser(overrides: Record<string, unknown> = {}, profileId?: string): Record<string, unknown> {
  return {
    Username: 'new.integration@acme.example.com',
    LastName: 'New Integration',
    Email: 'ops@acme.example.com',
    Alias: 'newint',
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    ProfileId: profileId,
    ...overrides,
  };
}

/** Id of the seeded record of `type` whose `field` equals `value`. */
export function idOf(emu: Emulator, type: string, field: string, value: string): string {
  const found = emu.db.records(type).find((r) => r[field] === value);
  if (!found) throw new Error(`no ${type} with ${field} = ${value}`);
  return found.Id;
}
