/**
 * A local External Client App's OAuth credentials through the Connect REST API (API 60.0+; staged credentials
 * 65.0+): `apps/oauth/credentials/<app>` (its consumers and their keys), `…/<consumer>?part=secret`, and the
 * staged credentials resources used to rotate. Preconditions Salesforce documents: local apps only, the org
 * setting "Allow access to External Client App consumer secrets via REST API" for secrets and staged
 * credentials, and the running user's "External Client App Developer" and "View Client Secret" permissions.
 * Platform refusals are turned into errors that say which precondition failed and what to do.
 */
import { Messages, SfError } from '@salesforce/core';
import { dataUrl, type OrgConnection } from '../api.js';
import { closeMatches } from '../grants/suggest.js';
import { readParts, str, strOrNull, type Row } from '../read.js';
import { rightsRead } from '../rights.js';
import { quote } from '../soql.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
export const messages = Messages.loadMessages('plugin-integration-user', 'credentials');

export type EcaApp = { id: string; developerName: string; label: string; distributionState: string | null };
export type Consumer = { id: string; name: string; key: string };
/** A staged credentials entry without its secret. */
export type StagedInfo = { id: string; key: string; state: string; createdDate: string | null; expirationDate: string | null };

/** Reads the app by API name (with the running user's rights, same round trip) and checks it is local. */
export async function readLocalApp(conn: OrgConnection, name: string): Promise<EcaApp> {
  const [, rows] = await readParts(conn, [
    rightsRead(),
    {
      queries: [`SELECT Id, DeveloperName, MasterLabel, DistributionState FROM ExternalClientApplication WHERE DeveloperName = ${quote(name)}`],
      assemble: ([r]) => r,
    },
  ] as const);
  const row = rows[0];
  if (!row) throw await appNotFound(conn, name);
  const app: EcaApp = { id: str(row, 'Id'), developerName: str(row, 'DeveloperName'), label: str(row, 'MasterLabel'), distributionState: strOrNull(row, 'DistributionState') };
  if (app.distributionState && app.distributionState !== 'Local') throw messages.createError('error.NotLocal', [app.developerName, app.distributionState]);
  return app;
}

/** No app of that name: the error names the org's apps close to it ("did you mean …?"), read only now. */
async function appNotFound(conn: OrgConnection, name: string): Promise<SfError> {
  const [apps] = await readParts(conn, [
    { queries: ['SELECT DeveloperName, MasterLabel FROM ExternalClientApplication ORDER BY DeveloperName LIMIT 2000'], assemble: ([r]) => r },
  ] as const).catch((): [Row[]] => [[]]);
  const byName = new Map<string, string>();
  for (const a of apps) {
    const developerName = strOrNull(a, 'DeveloperName');
    if (!developerName) continue;
    byName.set(developerName, developerName);
    const label = strOrNull(a, 'MasterLabel');
    if (label && !byName.has(label)) byName.set(label, developerName);
  }
  const near = [...new Set(closeMatches(name, byName.keys()).map((n) => byName.get(n) ?? n))];
  const actions = messages.getMessages('error.AppNotFound.actions');
  return near.length > 0
    ? new SfError(messages.getMessage('error.AppNotFoundDidYouMean', [name, near.join(', ')]), 'AppNotFoundError', actions, 1)
    : new SfError(messages.getMessage('error.AppNotFound', [name]), 'AppNotFoundError', actions, 1);
}

type PlatformFailure = { errorCode?: string; name?: string; message?: string };

/** Turns a Connect REST refusal into the precondition it means. */
export function credentialsError(conn: OrgConnection, e: unknown, what: string, minVersion: number): Error {
  const err = e as PlatformFailure;
  const code = err.errorCode ?? err.name ?? '';
  const message = err.message ?? String(e);
  if (code === 'FUNCTIONALITY_NOT_ENABLED' || /not (currently )?enabled/i.test(message)) return messages.createError('error.SecretAccessOff', [message]);
  if (code === 'INSUFFICIENT_ACCESS' || code === 'INSUFFICIENT_ACCESS_OR_READONLY') return messages.createError('error.NoEcaPermission', [message]);
  if (code === 'NOT_FOUND' && Number.parseFloat(conn.getApiVersion()) < minVersion) {
    return messages.createError('error.ApiVersion', [what, `${minVersion}.0`, conn.getApiVersion()], [`${minVersion}.0`]);
  }
  return e instanceof Error ? e : new SfError(message);
}

const base = (conn: OrgConnection, app: EcaApp): string => dataUrl(conn, `apps/oauth/credentials/${app.id}`);

/** The app's one OAuth consumer (key included, never the secret). */
export async function readConsumer(conn: OrgConnection, app: EcaApp): Promise<{ consumer: Consumer; consumers: Consumer[] }> {
  let body: { consumers?: unknown[] } | undefined;
  try {
    body = await conn.request<typeof body>({ method: 'GET', url: base(conn, app) });
  } catch (e) {
    throw credentialsError(conn, e, 'Reading OAuth credentials', 60);
  }
  const consumers = (body?.consumers ?? []).map((c) => ({ id: str(c, 'id'), name: str(c, 'name'), key: str(c, 'key') }));
  if (consumers.length !== 1) throw messages.createError('error.Consumers', [app.developerName, consumers.length]);
  return { consumer: consumers[0], consumers };
}

/** The consumer secret (part=secret). Callers write it to the secret file and drop it. */
export async function readSecret(conn: OrgConnection, app: EcaApp, consumer: Consumer): Promise<string> {
  try {
    const body = await conn.request<{ secret?: string }>({ method: 'GET', url: `${base(conn, app)}/${consumer.id}?part=secret` });
    if (!body.secret) throw new SfError('The org answered without a secret.');
    return body.secret;
  } catch (e) {
    throw credentialsError(conn, e, 'Reading the consumer secret', 60);
  }
}

type StagedBody = { id: string; key: string; secret?: string; state: string; createdDate?: string; expirationDate?: string };

// Decoded field by field: an entry without its id, key or state is a broken answer, never "undefined" (no value is echoed: the entry may hold a secret).
const info = (s: StagedBody): StagedInfo => ({
  id: str(s, 'id'),
  key: str(s, 'key'),
  state: str(s, 'state'),
  createdDate: strOrNull(s, 'createdDate'),
  expirationDate: strOrNull(s, 'expirationDate'),
});

function stagedList(body: unknown): StagedBody[] {
  const b = body as { stagedCredentials?: StagedBody[] } | StagedBody[] | StagedBody | undefined;
  if (!b) return [];
  if (Array.isArray(b)) return b;
  if ('stagedCredentials' in b) return b.stagedCredentials ?? [];
  return 'id' in b ? [b] : [];
}

/** The consumer's staged credentials entry, if any (without its secret). */
export async function readStaged(conn: OrgConnection, app: EcaApp, consumer: Consumer): Promise<StagedInfo | undefined> {
  try {
    const body = await conn.request({ method: 'GET', url: `${base(conn, app)}/${consumer.id}/staged` });
    const [first] = stagedList(body).filter((s) => s.state !== 'Expired');
    return first ? info(first) : undefined;
  } catch (e) {
    throw credentialsError(conn, e, 'Staged credentials', 65);
  }
}

/** Stages new credentials: returns them with the secret (the caller writes it to the secret file at once). */
export async function stageCredentials(conn: OrgConnection, app: EcaApp, consumer: Consumer): Promise<StagedInfo & { secret: string }> {
  let body: unknown;
  try {
    body = await conn.request({ method: 'POST', url: `${base(conn, app)}/${consumer.id}/staged`, body: '{}', headers: { 'content-type': 'application/json' } });
  } catch (e) {
    throw credentialsError(conn, e, 'Staged credentials', 65);
  }
  const [staged] = stagedList(body);
  if (!staged?.secret) throw new SfError('The org answered the staging request without new credentials.');
  return { ...info(staged), secret: staged.secret };
}

/** Reads back staged credentials with their secret (after a lost answer to the staging request). */
export async function readStagedWithSecret(conn: OrgConnection, app: EcaApp, consumer: Consumer): Promise<(StagedInfo & { secret: string }) | undefined> {
  const body = await conn.request({ method: 'GET', url: `${base(conn, app)}/${consumer.id}/staged` });
  const [staged] = stagedList(body).filter((s) => s.state === 'Active');
  return staged?.secret ? { ...info(staged), secret: staged.secret } : undefined;
}

/** Makes the staged credentials primary; returns the previous ones (now the staged entry, state Rotated). */
export async function rotateStaged(conn: OrgConnection, app: EcaApp, consumer: Consumer, stagedId: string): Promise<StagedInfo | undefined> {
  const body = await conn.request({
    method: 'PATCH',
    url: `${base(conn, app)}/${consumer.id}/staged/${stagedId}`,
    body: JSON.stringify({ command: 'rotate' }),
    headers: { 'content-type': 'application/json' },
  });
  const [previous] = stagedList(body);
  return previous ? info(previous) : undefined;
}

export async function deleteStaged(conn: OrgConnection, app: EcaApp, consumer: Consumer, stagedId: string): Promise<void> {
  await conn.request({ method: 'DELETE', url: `${base(conn, app)}/${consumer.id}/staged/${stagedId}` });
}
