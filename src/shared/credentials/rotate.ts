/**
 * Rotating a local External Client App's consumer key and secret, each step's outcome kept:
 * stage new credentials → write the new secret to the 0600 file → rotate (the new ones become primary, the
 * previous ones stay valid as the Rotated staged entry for 30 days) → with `revokePrevious`, delete them.
 * On a failure part-way the result says what the org now holds; a lost staging answer is read back.
 * With `useStaged`, the credentials already staged (state Active: e.g. by `contain --app`, whose secret was
 * written to its file then) are rotated to as they are: no new staging, no new secret file.
 */
import type { OrgConnection } from '../api.js';
import {
  deleteStaged,
  messages,
  readConsumer,
  readLocalApp,
  readStaged,
  readStagedWithSecret,
  rotateStaged,
  stageCredentials,
  type Consumer,
  type EcaApp,
  type StagedInfo,
} from './eca.js';
import { lostReason, type Interrupted } from '../lifecycle/lostAnswer.js';
import { writeSecretFile } from './secretFile.js';

export type StepName = 'stage' | 'writeSecret' | 'rotate' | 'revokePrevious' | 'replaceStaged';
export type Step = { step: StepName; status: 'done' | 'failed' | 'skipped' | 'wouldRun'; detail?: string };

export type RotateResult = {
  app: string;
  appId: string;
  dryRun: boolean;
  /** The consumer key the org uses as primary after the command. */
  consumerKey: string;
  previousConsumerKey: string;
  /** True when the new credentials are primary. */
  rotated: boolean;
  /** True when the previous credentials were deleted; otherwise they stay valid until previousValidUntil. */
  previousRevoked: boolean;
  previousValidUntil: string | null;
  /** The staged entry the org holds after the command (no secret). */
  staged: StagedInfo | null;
  secretFile: string | null;
  steps: Step[];
  /** Set when a write's answer was lost and a read back shows it made (the step's detail says which; the command warns). */
  interrupted?: Interrupted;
};

export type RotateOptions = {
  name: string;
  /** The new 0600 file for the new secret; null only with useStaged (no new secret is made). */
  secretFile: string | null;
  force: boolean;
  revokePrevious: boolean;
  replaceStaged: boolean;
  dryRun: boolean;
  /** Stop after staging (contain): the new secret is written, the old one stays primary. */
  stageOnly?: boolean;
  /** Rotate to the credentials already staged (state Active) instead of staging new ones. */
  useStaged?: boolean;
};

/** The app a rotation works on: the connection, the local app and its one consumer. */
type OnApp = { conn: OrgConnection; app: EcaApp; consumer: Consumer };

const text = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function rotateCredentials(conn: OrgConnection, options: RotateOptions): Promise<RotateResult> {
  const app = await readLocalApp(conn, options.name);
  const { consumer } = await readConsumer(conn, app);
  const existing = await readStaged(conn, app, consumer);
  const result: RotateResult = {
    app: app.developerName,
    appId: app.id,
    dryRun: options.dryRun,
    consumerKey: consumer.key,
    previousConsumerKey: consumer.key,
    rotated: false,
    previousRevoked: false,
    previousValidUntil: null,
    staged: existing ?? null,
    secretFile: options.secretFile,
    steps: [],
  };
  const on: OnApp = { conn, app, consumer };
  if (options.useStaged) return rotateToStaged(on, existing, result, options);
  if (existing && !options.replaceStaged) {
    throw messages.createError('error.StagedExists', [app.developerName, existing.state, existing.expirationDate ?? '?']);
  }
  const plan: StepName[] = [...(existing ? ['replaceStaged' as const] : []), 'stage', 'writeSecret', ...(options.stageOnly ? [] : ['rotate' as const]), ...(options.revokePrevious && !options.stageOnly ? ['revokePrevious' as const] : [])];
  if (options.dryRun) {
    result.steps = plan.map((step) => ({ step, status: 'wouldRun' }));
    return result;
  }
  const steps = result.steps;
  const skipRest = (from: number): void => {
    for (const step of plan.slice(from)) steps.push({ step, status: 'skipped' });
  };
  let i = 0;
  if (existing) {
    i++;
    try {
      await deleteStaged(conn, app, consumer, existing.id);
      steps.push({ step: 'replaceStaged', status: 'done', detail: `deleted staged entry (state ${existing.state})` });
      result.staged = null;
    } catch (e) {
      steps.push({ step: 'replaceStaged', status: 'failed', detail: text(e) });
      skipRest(i);
      return result;
    }
  }
  let staged: (StagedInfo & { secret: string }) | undefined;
  try {
    staged = await stageCredentials(conn, app, consumer);
    steps.push({ step: 'stage', status: 'done' });
  } catch (e) {
    // The answer may be lost after the org staged them: read back.
    staged = await readStagedWithSecret(conn, app, consumer).catch(() => undefined);
    steps.push(staged ? { step: 'stage', status: 'done', detail: `the answer was lost (${text(e)}); read back from the org` } : { step: 'stage', status: 'failed', detail: text(e) });
    if (staged) result.interrupted ??= { reason: lostReason(e), complete: true };
  }
  i++;
  if (!staged) {
    skipRest(i);
    return result;
  }
  result.staged = { id: staged.id, key: staged.key, state: staged.state, createdDate: staged.createdDate, expirationDate: staged.expirationDate };
  try {
    if (!options.secretFile) throw new Error('no secret file given');
    await writeSecretFile(options.secretFile, staged.secret, options.force);
    steps.push({ step: 'writeSecret', status: 'done' });
  } catch (e) {
    steps.push({ step: 'writeSecret', status: 'failed', detail: text(e) });
    skipRest(i + 1);
    return result;
  }
  i++;
  if (options.stageOnly) return result;
  if (!(await rotateStep(on, staged, result))) {
    skipRest(i + 1);
    return result;
  }
  await revokePrevious(on, result, options);
  return result;
}

/** The rotate step, from staged credentials whose secret is already out (the secret is never read here). */
async function rotateToStaged(on: OnApp, existing: StagedInfo | undefined, result: RotateResult, options: RotateOptions): Promise<RotateResult> {
  result.secretFile = null;
  if (!existing || existing.state !== 'Active') {
    throw messages.createError('error.NoStagedToUse', [on.app.developerName, existing ? `an entry in state ${existing.state} (previous credentials of an earlier rotation)` : 'none']);
  }
  const plan: StepName[] = ['rotate', ...(options.revokePrevious ? ['revokePrevious' as const] : [])];
  const detail = messages.getMessage('useStaged.detail', [existing.key]);
  if (options.dryRun) {
    result.steps = plan.map((step) => ({ step, status: 'wouldRun', ...(step === 'rotate' ? { detail } : {}) }));
    return result;
  }
  if (!(await rotateStep(on, existing, result, detail))) {
    if (options.revokePrevious) result.steps.push({ step: 'revokePrevious', status: 'skipped' });
    return result;
  }
  await revokePrevious(on, result, options);
  return result;
}

/**
 * The rotate step: `target` (the staged entry) becomes primary and the previous credentials the Rotated staged
 * entry. A lost answer is read back: done when the org shows the rotation. On a failure the result keeps the
 * staged entry the org now shows (else the one it had). Returns whether the rotation was made.
 */
async function rotateStep({ conn, app, consumer }: OnApp, target: Pick<StagedInfo, 'id' | 'key'>, result: RotateResult, detail?: string): Promise<boolean> {
  const rotated = (previous: StagedInfo | null): true => {
    result.rotated = true;
    result.consumerKey = target.key;
    result.staged = previous;
    result.previousValidUntil = previous?.expirationDate ?? null;
    return true;
  };
  try {
    const previous = await rotateStaged(conn, app, consumer, target.id);
    result.steps.push({ step: 'rotate', status: 'done', ...(detail ? { detail } : {}) });
    return rotated(previous ?? null);
  } catch (e) {
    const now = await readStaged(conn, app, consumer).catch(() => undefined);
    if (now && now.state === 'Rotated') {
      const lost = `the answer was lost (${text(e)}); the org shows the rotation was made`;
      result.steps.push({ step: 'rotate', status: 'done', detail: detail ? `${detail}; ${lost}` : lost });
      result.interrupted ??= { reason: lostReason(e), complete: true };
      return rotated(now);
    }
    result.steps.push({ step: 'rotate', status: 'failed', detail: text(e) });
    result.staged = now ?? result.staged;
    return false;
  }
}

async function revokePrevious({ conn, app, consumer }: OnApp, result: RotateResult, options: RotateOptions): Promise<void> {
  const steps = result.steps;
  if (options.revokePrevious && result.staged) {
    try {
      await deleteStaged(conn, app, consumer, result.staged.id);
      steps.push({ step: 'revokePrevious', status: 'done' });
      result.previousRevoked = true;
      result.previousValidUntil = null;
      result.staged = null;
    } catch (e) {
      const now = await readStaged(conn, app, consumer).catch(() => result.staged ?? undefined);
      if (!now) {
        steps.push({ step: 'revokePrevious', status: 'done', detail: `the answer was lost (${text(e)}); the org shows no previous credentials` });
        result.interrupted ??= { reason: lostReason(e), complete: true };
        result.previousRevoked = true;
        result.previousValidUntil = null;
        result.staged = null;
      } else steps.push({ step: 'revokePrevious', status: 'failed', detail: text(e) });
    }
  }
}

/** 0 every step done, 68 some done and one failed, 1 nothing changed in the org. */
export function rotateExitCode(result: RotateResult): number {
  const failed = result.steps.some((s) => s.status === 'failed');
  if (!failed) return 0;
  const changed = result.steps.some((s) => s.status === 'done' && s.step !== 'writeSecret');
  return changed ? 68 : 1;
}
