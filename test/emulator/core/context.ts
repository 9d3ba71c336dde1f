/**
 * What every route and DML rule sees: the store, the org's model (objects, rules, access, routes: model.ts),
 * its configuration, faults, query cursors, the clock.
 */
import type { Db } from './db.js';
import type { FaultState } from './faults.js';
import type { OrgModel } from './model.js';

export type OrgConfig = {
  edition: string;
  apiEnabled: boolean;
  /** 'reject': a composite writing objects of both of the model's mixedDmlGroups fails with MIXED_DML_OPERATION. */
  mixedDml: 'allow' | 'reject';
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
  /** The emulated org's objects, rules, access and routes (the org part hands it in). */
  model: OrgModel;
  org: OrgConfig;
  faults: FaultState;
  cursors: Map<string, QueryCursor>;
  /** The emulator clock (starts at the `now` option and runs on). */
  now(): Date;
  /** Local base URL, set once the server listens. */
  instanceUrl: string;
};

/** The API versions the org serves; the highest is the org's version. 21.0–30.0 are retired (410). */
export const API_VERSIONS = Array.from({ length: 66 - 31 + 1 }, (_, i) => `${31 + i}.0`);
