/**
 * State the lifecycle resources need that is not an sObject: External Client App OAuth consumers (primary
 * and staged credentials), the org setting that exposes consumer secrets over REST, user passwords and the
 * org's password policy. Kept beside the Db (one per emulator) so no shared type needs to change.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from '../core/context.js';
import type { Db } from '../core/db.js';
import { sameId } from '../core/ids.js';
import type { SRecord } from '../core/types.js';
import { SalesforceError } from '../core/types.js';

/** How long staged (and, after a rotation, previous) credentials stay valid: 30 days (Connect REST "App Oauth Staged Credentials"). */
export const STAGED_VALIDITY_DAYS = 30;

export type Credential = { key: string; secret: string };

export type StagedCredential = Credential & {
  id: string;
  createdBy: string;
  createdDate: string;
  expirationDate: string;
  /** Active = staged, not yet rotated; Rotated = the former primary after a rotation; Expired = past its date. */
  state: 'Active' | 'Rotated' | 'Expired';
};

export type OauthConsumer = { id: string; name: string; primary: Credential; staged?: StagedCredential };

export type PasswordComplexity = 'NoRestriction' | 'AlphaNumeric' | 'SpecialCharacters' | 'UpperLowerCaseNumeric' | 'UpperLowerCaseNumericSpecialCharacters';
export type PasswordPolicy = { minLength: number; complexity: PasswordComplexity };

export type LifecycleState = {
  /** ExternalClientAppSettings.enableClientSecretInRestApiAccess ("Allow access to External Client App consumer secrets via REST API"). */
  secretRestAccess: boolean;
  /** OAuth consumers per ExternalClientApplication Id (15 characters). */
  consumers: Map<string, OauthConsumer[]>;
  /** Current password per user Id (15 characters); only a SHA-256 is kept, plus the last one set for tests. */
  passwords: Map<string, string>;
  passwordPolicy: PasswordPolicy;
  serial: number;
};

const STATES = new WeakMap<Db, LifecycleState>();

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, complexity: 'UpperLowerCaseNumericSpecialCharacters' };

export function lifecycleState(db: Db): LifecycleState {
  let state = STATES.get(db);
  if (!state) {
    state = { secretRestAccess: true, consumers: new Map(), passwords: new Map(), passwordPolicy: { ...DEFAULT_PASSWORD_POLICY }, serial: 0 };
    STATES.set(db, state);
  }
  return state;
}

export const hashPassword = (password: string): string => createHash('sha256').update(password).digest('hex');

/** A consumer key shaped like Salesforce's (3MVG…) and a 64-hex-character secret. */
export function newCredential(): Credential {
  return {
    key: `3MVG9${randomBytes(36).toString('base64url').replace(/[-_]/g, 'A').slice(0, 80)}`,
    secret: randomBytes(32).toString('hex').toUpperCase(),
  };
}

/** The running user's system permission (`Permissions<name>`) through its profile's set and its assigned sets. */
export function runningUserHas(ctx: Context, permission: string): boolean {
  const fieldName = `Permissions${permission}`;
  const setIds = ctx.db
    .records('PermissionSetAssignment')
    .filter((a) => sameId(String(a.AssigneeId), ctx.org.userId))
    .map((a) => String(a.PermissionSetId));
  return ctx.db.records('PermissionSet').some((s) => setIds.some((id) => sameId(id, s.Id)) && s[fieldName] === true);
}

export function requirePermissions(ctx: Context, permissions: string[], what: string): void {
  const missing = permissions.filter((p) => !runningUserHas(ctx, p));
  if (missing.length > 0) {
    throw new SalesforceError('INSUFFICIENT_ACCESS', `You don't have permission to ${what}. Missing: ${missing.join(', ')}`, 403);
  }
}

/** Seeds an External Client App record and its one OAuth consumer. */
export function seedEca(db: Db, fields: { developerName: string; label: string; distributionState: 'Local' | 'Packaged'; createdDate: string; adminId: string }): SRecord {
  const app = db.insert('ExternalClientApplication', {
    DeveloperName: fields.developerName,
    MasterLabel: fields.label,
    DistributionState: fields.distributionState,
    NamespacePrefix: fields.distributionState === 'Packaged' ? 'vendor' : null,
    CreatedDate: fields.createdDate,
    CreatedById: fields.adminId,
    LastModifiedDate: fields.createdDate,
    LastModifiedById: fields.adminId,
    SystemModstamp: fields.createdDate,
  });
  const state = lifecycleState(db);
  state.serial++;
  state.consumers.set(app.Id.slice(0, 15), [{ id: consumerId(state.serial), name: fields.label, primary: newCredential() }]);
  return app;
}

function consumerId(serial: number): string {
  return `0H4${String(serial).padStart(12, '0')}`;
}

export function stagedId(state: LifecycleState): string {
  state.serial++;
  return `0Hs${String(state.serial).padStart(12, '0')}`;
}

/** Marks staged credentials past their date Expired (and an expired Rotated one stops being valid). */
export function refreshStaged(ctx: Context, consumer: OauthConsumer): void {
  if (consumer.staged && new Date(consumer.staged.expirationDate).getTime() <= ctx.now().getTime()) consumer.staged.state = 'Expired';
}

/** Every credential a client may use right now: the primary, and a staged or rotated one still in its 30 days. */
export function validSecrets(ctx: Context, consumer: OauthConsumer): Credential[] {
  refreshStaged(ctx, consumer);
  const valid = [consumer.primary];
  if (consumer.staged && consumer.staged.state !== 'Expired') valid.push(consumer.staged);
  return valid;
}

/** Seeds the lifecycle fixtures: one scheduled job owned by billing.sync, the local ECA `Billing_Sync` (client credentials as billing.sync) and a packaged ECA. */
export function seedLifecycle(db: Db, at: { daysAgo(days: number, hour?: number): string; now: Date }, adminId: string): void {
  const billing = db.records('User').find((u) => String(u.Username).startsWith('billing.sync@'));
  const created = at.daysAgo(200);
  seedEca(db, { developerName: 'Billing_Sync', label: 'Billing Sync', distributionState: 'Local', createdDate: created, adminId });
  seedEca(db, { developerName: 'Vendor_Connector', label: 'Vendor Connector', distributionState: 'Packaged', createdDate: created, adminId });
  if (!billing) return;
  const job = db.insert('CronJobDetail', { Name: 'Nightly Billing Reconciliation', JobType: '7' });
  const next = new Date(at.now.getTime() + 86_400_000);
  next.setUTCHours(2, 0, 0, 0);
  db.insert('CronTrigger', {
    CronJobDetailId: job.Id,
    OwnerId: billing.Id,
    State: 'WAITING',
    CronExpression: '0 0 2 * * ?',
    NextFireTime: next.toISOString(),
    PreviousFireTime: at.daysAgo(0, 2),
    StartTime: created,
    EndTime: null,
    TimesTriggered: 200,
    CreatedDate: created,
    CreatedById: billing.Id,
    LastModifiedDate: created,
    LastModifiedById: billing.Id,
    SystemModstamp: created,
  });
}
