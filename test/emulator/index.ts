/**
 * The org emulator's public entry: a local HTTP server the real sf CLI logs in to and that answers like a
 * Salesforce org (see README.md). `startEmulator()` seeds an org, listens on 127.0.0.1 and returns handles
 * for tests. It joins the two parts: core/ (the REST engine) runs the org/ model (this plugin's org).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Context } from './core/context.js';
import { Db } from './core/db.js';
import { FaultState, type Faults } from './core/faults.js';
import { createEmulatorServer, type RequestLogEntry, type Runtime } from './core/server.js';
import { RUNNING_USER_LEVELS, RUNNING_USERNAMES, seedRunningUser, type RunningUserLevel } from './org/access.js';
import { lifecycleState, type LifecycleState, type PasswordPolicy } from './org/lifecycle.js';
import { seedLoginVolume } from './org/logins.js';
import { salesforceModel } from './org/salesforce.js';
import { seedOrg } from './org/seed.js';

export type { Faults, FaultMatch, CountedFault } from './core/faults.js';
export type { RequestLogEntry } from './core/server.js';
export { RUNNING_USERNAMES, RUNNING_USER_LEVELS, type RunningUserLevel } from './org/access.js';
export { Db } from './core/db.js';
export { ADMIN_USERNAME, ORG_NAME } from './org/seed.js';
export { SeedBuilder } from './org/seedBuilder.js';
export type { AccessModel, ObjectRules, OrgModel, OrgRoute } from './core/model.js';

export type EmulatorOptions = {
  /** 0 = any free port (default). */
  port?: number;
  /** 'default' (default) or `{scale: N}`: N generated users on top of the default seed. */
  seed?: 'default' | { scale: number };
  /** Organization.OrganizationType; default 'Enterprise Edition'. */
  edition?: string;
  /**
   * Seats of the 'Salesforce Integration' user license and of the 'Salesforce API Integration' PSL (they come
   * together; default by edition; the license is absent and the PSL has 0 seats in editions without it).
   */
  integrationLicenses?: number;
  /** false: every REST call answers 403 API_DISABLED_FOR_ORG. */
  apiEnabled?: boolean;
  latencyMs?: number;
  /** 'reject': a composite writing User and PermissionSetAssignment / PermissionSetLicenseAssign fails with MIXED_DML_OPERATION. */
  mixedDml?: 'allow' | 'reject';
  /**
   * true (default): assigning a permission set whose License is a PSL the user lacks (directly or through a
   * group's component) also assigns the PSL, consuming a seat (LICENSE_LIMIT_EXCEEDED when none is left);
   * false: such an assignment fails with FIELD_INTEGRITY_EXCEPTION (assign the PSL first).
   */
  pslAutoAssign?: boolean;
  /**
   * Who the session runs as (default 'admin'): 'admin' = admin@ (System Administrator: everything);
   * 'delegated-admin' = delegated.admin@ (View Setup + Assign Permission Sets, no Manage Users);
   * 'auditor' = setup.auditor@ (View Setup only); 'standard' = jane.doe@ (Standard User: none of them).
   * 'restricted' is an alias of 'standard'. Reads and writes follow those rights (access.ts, README).
   */
  runningUser?: RunningUserLevel | 'restricted';
  /**
   * Org variant: `Object.Field` names that do not exist in this org (e.g. 'PermissionSet.PermissionsMonitorLoginHistory'):
   * describe leaves them out, SOQL answers INVALID_FIELD "No such column" for them, DML rejects them.
   */
  absentFields?: string[];
  /**
   * Login volume: every active integration user gets this many more LoginHistory rows, every active human a
   * tenth of it, spread over the 90 days before its LastLoginDate, deterministic (logins.ts). Works with any seed.
   */
  loginsPerUser?: number;
  /** The emulator clock's start (seed dates are relative to it); default now. */
  now?: Date;
  /** ExternalClientAppSettings.enableClientSecretInRestApiAccess (default true): false = consumer secrets and staged credentials answer 403 over Connect REST. */
  ecaSecretRestAccess?: boolean;
  /** The org's password policy for the set-password resource (default: 12 characters, upper, lower, digit and special). */
  passwordPolicy?: PasswordPolicy;
};

export type Emulator = {
  instanceUrl: string;
  accessToken: string;
  username: string;
  orgId: string;
  port: number;
  db: Db;
  requests: RequestLogEntry[];
  resetRequestLog(): void;
  /** Replaces the active faults. */
  setFaults(faults: Faults): void;
  /** The access token stops working: every call answers 401 INVALID_SESSION_ID. */
  expireSession(): void;
  /** Registers a username as taken in another org (inserting it fails with DUPLICATE_USERNAME). */
  addTakenUsername(username: string): void;
  /** Lifecycle state: ECA consumers and their credentials, password hashes, the org setting and password policy. */
  lifecycle: LifecycleState;
  close(): Promise<void>;
};

/** Usernames the emulator treats as taken in other orgs. */
export const TAKEN_USERNAMES = ['taken@elsewhere.example.com', 'integration@example.com', 'admin@example.com'];

const EDITIONS_WITHOUT_INTEGRATION_LICENSE = ['Professional Edition', 'Team Edition', 'Personal Edition', 'Contact Manager Edition', 'Group Edition'];
export const RESTRICTED_USERNAME = RUNNING_USERNAMES.standard;

/** The level of a `runningUser` option ('restricted' = 'standard'); throws for anything else. */
export function runningUserLevel(value: string | undefined): RunningUserLevel {
  if (value === undefined) return 'admin';
  if (value === 'restricted') return 'standard';
  if ((RUNNING_USER_LEVELS as readonly string[]).includes(value)) return value as RunningUserLevel;
  throw new Error(`runningUser must be one of ${RUNNING_USER_LEVELS.join(', ')} (or restricted), got "${value}"`);
}

function defaultIntegrationSeats(edition: string): number | null {
  if (EDITIONS_WITHOUT_INTEGRATION_LICENSE.includes(edition)) return null;
  return edition === 'Developer Edition' ? 1 : 5;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const edition = options.edition ?? 'Enterprise Edition';
  const start = options.now ?? new Date();
  const startedAt = Date.now();
  const model = salesforceModel({ pslAutoAssign: options.pslAutoAssign ?? true, takenUsernames: new Set(TAKEN_USERNAMES) });
  const db = new Db(model);
  const { orgId, adminId } = seedOrg(db, {
    now: start,
    edition,
    integrationLicenses: options.integrationLicenses ?? defaultIntegrationSeats(edition),
    scale: typeof options.seed === 'object' ? options.seed.scale : 0,
  });
  const lifecycle = lifecycleState(db);
  lifecycle.secretRestAccess = options.ecaSecretRestAccess ?? true;
  if (options.passwordPolicy) lifecycle.passwordPolicy = { ...options.passwordPolicy };
  db.setAbsentFields(options.absentFields ?? []);
  const level = runningUserLevel(options.runningUser);
  const username = RUNNING_USERNAMES[level];
  const userId = seedRunningUser(db, level, start, adminId);
  if (options.loginsPerUser !== undefined) {
    if (!Number.isInteger(options.loginsPerUser) || options.loginsPerUser < 0) throw new Error(`loginsPerUser must be a non-negative integer, got ${options.loginsPerUser}`);
    if (options.loginsPerUser > 0) seedLoginVolume(db, options.loginsPerUser, start);
  }
  const ctx: Context = {
    db,
    model,
    org: {
      edition,
      apiEnabled: options.apiEnabled ?? true,
      mixedDml: options.mixedDml ?? 'allow',
      orgId,
      userId,
      username,
      accessToken: `${orgId}!${randomBytes(24).toString('hex')}`,
    },
    faults: new FaultState(options.latencyMs ?? 0),
    cursors: new Map(),
    now: () => new Date(start.getTime() + (Date.now() - startedAt)),
    instanceUrl: '',
  };
  const runtime: Runtime = { ctx, requests: [], sessionValid: true };
  const server = createEmulatorServer(runtime);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ctx.instanceUrl = `http://127.0.0.1:${port}`;
  return {
    instanceUrl: ctx.instanceUrl,
    accessToken: ctx.org.accessToken,
    username,
    orgId,
    port,
    db,
    requests: runtime.requests,
    resetRequestLog: () => {
      runtime.requests.length = 0;
    },
    setFaults: (faults) => ctx.faults.set(faults),
    expireSession: () => {
      runtime.sessionValid = false;
    },
    addTakenUsername: (name) => {
      model.settings.takenUsernames.add(name.toLowerCase());
    },
    lifecycle,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
