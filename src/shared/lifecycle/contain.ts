/**
 * Incident containment for one integration user: freeze it, revoke every OAuth token, and with an app, stage
 * new credentials for that app (the new secret goes to a 0600 file; the leaked one stays primary until the
 * clients have the new one and someone rotates). Reads in one round trip; each step runs even if an earlier
 * one failed, and each outcome is reported as the org holds it. The incident record (JSON, no secret) is
 * written to a new file, by default under `.sf/incidents/`.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { OrgConnection } from '../api.js';
import { rotateCredentials, type RotateResult } from '../credentials/rotate.js';
import { checkSecretFile } from '../credentials/secretFile.js';
import { readParts } from '../read.js';
import { rightsRead } from '../rights.js';
import { applyFreeze, type FreezeUserOutcome } from './freeze.js';
import { revokeTokens, userTokensRead, type AppRevokeOutcome } from './tokens.js';
import { mergeInterrupted, type Interrupted } from './lostAnswer.js';
import { errorText, lifecycleUsersRead, messages, resolveUsers } from './users.js';

export type ContainStep = { step: 'freeze' | 'revokeTokens' | 'stageCredentials'; status: 'done' | 'unchanged' | 'failed' | 'skipped'; detail: string };

export type IncidentRecord = {
  kind: 'integration-user-containment';
  ranBy: string;
  ranAt: string;
  instanceUrl: string;
  reason: string | null;
  user: { username: string; id: string };
  before: { isFrozen: boolean; isActive: boolean; tokensPerApp: Record<string, number> };
  after: { isFrozen: boolean; tokensPerApp: Record<string, number> };
  steps: ContainStep[];
  app: { name: string; consumerKey: string; staged: RotateResult['staged']; secretFile: string | null } | null;
  nextSteps: string[];
  /** Set when a write's answer was lost and a re-read shows what the org holds (the command warns). */
  interrupted?: Interrupted;
};

export type ContainOptions = {
  username: string;
  app?: string;
  reason?: string;
  secretFile?: string;
  force?: boolean;
  incidentFile?: string;
  allowNonIntegrationUser?: boolean;
  /** Where the default incident file goes (its `.sf/incidents/`). */
  baseDir: string;
  now?: Date;
};

export type ContainResult = IncidentRecord & { incidentFile: string };

export function defaultIncidentFile(baseDir: string, username: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return join(resolve(baseDir), '.sf', 'incidents', `${stamp}-${username.replace(/[^a-zA-Z0-9._-]/g, '_')}.json`);
}

export async function containUser(conn: OrgConnection & { instanceUrl?: string }, options: ContainOptions): Promise<ContainResult> {
  const now = options.now ?? new Date();
  const incidentFile = resolve(options.incidentFile ?? defaultIncidentFile(options.baseDir, options.username, now));
  if (await stat(incidentFile).then(() => true, () => false)) throw messages.createError('error.IncidentFileExists', [incidentFile]);
  if (options.app && !options.secretFile) throw messages.createError('error.SecretFileNeeded');
  const secretFile = options.app && options.secretFile ? await checkSecretFile(options.secretFile, options.force === true) : undefined;
  const [, users, tokens] = await readParts(conn, [
    rightsRead(['read:UserLogin', 'write:UserLogin', 'read:OauthToken:others', 'delete:OauthToken']),
    lifecycleUsersRead([options.username]),
    userTokensRead(options.username),
  ] as const);
  const [user] = await resolveUsers(conn, [options.username], users, options.allowNonIntegrationUser === true);
  if (user.loginId === null) throw messages.createError('error.NoUserLogin', [user.username]);
  const perApp = (list: ReadonlyArray<{ appName: string }>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const t of list) out[t.appName] = (out[t.appName] ?? 0) + 1;
    return out;
  };
  const steps: ContainStep[] = [];
  const interrupted: Array<Interrupted | undefined> = [];

  let frozen: FreezeUserOutcome | undefined;
  try {
    const freeze = await applyFreeze(conn, [user], { usernames: [user.username], freeze: true, reason: options.reason });
    frozen = freeze.users[0];
    interrupted.push(freeze.interrupted);
    steps.push({
      step: 'freeze',
      status: frozen.status === 'failed' ? 'failed' : frozen.status === 'unchanged' ? 'unchanged' : 'done',
      detail: frozen.status === 'failed' ? String(frozen.error) : frozen.status === 'unchanged' ? 'already frozen' : 'frozen',
    });
  } catch (e) {
    steps.push({ step: 'freeze', status: 'failed', detail: errorText(e) });
  }

  let revoked: AppRevokeOutcome[] = [];
  try {
    const outcome = await revokeTokens(conn, tokens, { username: user.username, userId: user.id });
    revoked = outcome.apps;
    interrupted.push(outcome.interrupted);
    const bad = revoked.filter((a) => a.status !== 'revoked');
    steps.push({
      step: 'revokeTokens',
      status: revoked.length === 0 ? 'unchanged' : bad.length > 0 ? 'failed' : 'done',
      detail: revoked.length === 0 ? 'no tokens' : revoked.map((a) => `${a.app}: ${a.revoked} of ${a.before} revoked${a.error ? ` (${a.error})` : ''}`).join('; '),
    });
  } catch (e) {
    steps.push({ step: 'revokeTokens', status: 'failed', detail: errorText(e) });
  }

  let app: IncidentRecord['app'] = null;
  if (options.app) {
    try {
      const staged = await rotateCredentials(conn, {
        name: options.app,
        secretFile: String(secretFile),
        force: options.force === true,
        revokePrevious: false,
        replaceStaged: false,
        dryRun: false,
        stageOnly: true,
      });
      interrupted.push(staged.interrupted);
      const failed = staged.steps.find((s) => s.status === 'failed');
      steps.push({ step: 'stageCredentials', status: failed ? 'failed' : 'done', detail: failed ? `${failed.step}: ${failed.detail ?? ''}` : `new credentials staged (key ${staged.staged?.key ?? '?'}); secret in ${staged.secretFile ?? '?'}` });
      app = { name: staged.app, consumerKey: staged.consumerKey, staged: staged.staged, secretFile: staged.secretFile };
    } catch (e) {
      const already = /already has staged credentials/.test(errorText(e)) && /state Active/.test(errorText(e));
      steps.push({ step: 'stageCredentials', status: already ? 'unchanged' : 'failed', detail: already ? `${errorText(e)} (staged earlier: its secret is in the file written then)` : errorText(e) });
    }
  }

  const tokensAfter: Record<string, number> = perApp(tokens.tokens);
  for (const a of revoked) tokensAfter[a.app] = a.remaining;
  const record: IncidentRecord = {
    kind: 'integration-user-containment',
    ranBy: conn.getUsername() ?? 'unknown',
    ranAt: now.toISOString(),
    instanceUrl: conn.instanceUrl ?? '',
    reason: options.reason ?? null,
    user: { username: user.username, id: user.id },
    before: { isFrozen: user.isFrozen, isActive: user.isActive, tokensPerApp: perApp(tokens.tokens) },
    after: { isFrozen: frozen?.isFrozen ?? user.isFrozen, tokensPerApp: Object.fromEntries(Object.entries(tokensAfter).filter(([, n]) => n > 0)) },
    steps,
    app,
    nextSteps: nextSteps(user.username, options, app, conn.getUsername() ?? 'ORG'),
    ...mergeInterrupted(interrupted),
  };
  await writeIncident(incidentFile, record);
  return { ...record, incidentFile };
}

function nextSteps(username: string, options: ContainOptions, app: IncidentRecord['app'], org: string): string[] {
  const out = [messages.getMessage('next.investigate', [username])];
  if (app) out.push(messages.getMessage('next.rotate', [app.secretFile ?? '', app.name, org, app.name]));
  out.push(messages.getMessage('next.unfreeze', [username]));
  return out;
}

async function writeIncident(path: string, record: IncidentRecord): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
  } finally {
    await handle.close();
  }
}

/** 0 every step done or already so, 68 some failed and some done, 1 every step failed. */
export function containExitCode(result: ContainResult): number {
  const failed = result.steps.filter((s) => s.status === 'failed').length;
  if (failed === 0) return 0;
  return failed === result.steps.length ? 1 : 68;
}
