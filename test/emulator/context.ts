/** What every route and DML rule sees: the store, the org's configuration, faults, query cursors, the clock. */
import type { RunningUserLevel } from './access.js';
import type { Db } from './db.js';
import type { FaultState } from './faults.js';

export type OrgConfig = {
  edition: string;
  apiEnabled: boolean;
  mixedDml: 'allow' | 'reject';
  /** Assigning a set (or group) whose license is a PSL the user lacks assigns that PSL too (consuming a seat). */
  pslAutoAssign: boolean;
  /** The running user's level (see access.ts); its rights are read live from its profile and assignments. */
  runningUser: RunningUserLevel;
  orgId: string;
  /** The running (logged-in) user. */
  userId: string;
  username: string;
  accessToken: string;
};

/** A server-side query cursor: the remaining rows of a query and how many go on a page. */
export type QueryCursor = { rows: Array<Record<string, unknown>>; pageSize: number; totalSize: number };

export type Context = {
  db: Db;
  org: OrgConfig;
  faults: FaultState;
  cursors: Map<string, QueryCursor>;
  /** Usernames taken in other orgs (lower case): inserting one fails with DUPLICATE_USERNAME. */
  takenUsernames: Set<string>;
  /** The emulator clock (starts at the `now` option and runs on). */
  now(): Date;
  /** Local base URL, set once the server listens. */
  instanceUrl: string;
};

/** The API versions the org serves; the highest is the org's version. 21.0–30.0 are retired (410). */
export const API_VERSIONS = Array.from({ length: 66 - 31 + 1 }, (_, i) => `${31 + i}.0`);
