/**
 * Spec drift for the audit (rule IU014, `audit --spec`): what plan finds, as located items — a missing
 * user, a missing or extra grant, field drift, a user whose state differs — each with the spec line to show
 * it on (the grant's line when the spec lists it, else the integration's entry).
 */
import type { OrgConnection } from '../api.js';
import { planSpec, type SpecChange } from './plan.js';
import type { ResolvedSpec } from './types.js';

export type SpecDriftKind = 'missingUser' | 'missingGrant' | 'extraGrant' | 'fieldDrift' | 'stateDrift' | 'expiryDrift' | 'unlistedUser';

export type SpecDriftItem = {
  kind: SpecDriftKind;
  integration: string | null;
  username: string;
  /** Grant type, or 'field' / 'user'. */
  type: string;
  name: string;
  from?: string | null;
  to?: string | null;
  reason?: string;
  line: number;
};

/** What the audit's spec rule judges: the spec's file, its environment, its usernames and the drift found. */
export type SpecDriftData = {
  /** The spec file as given (the SARIF location). */
  file: string;
  environment: string | null;
  /** Lower-case usernames the spec lists (any state). */
  usernames: string[];
  items: SpecDriftItem[];
};

/** Plans the spec against the org (no --prune) and turns its changes and drift into located items. */
export async function specDriftData(conn: OrgConnection, spec: ResolvedSpec): Promise<SpecDriftData> {
  const { block, work } = await planSpec(conn, spec, { prune: false, targetOrg: conn.getUsername() ?? '' });
  const items: SpecDriftItem[] = [];
  for (const c of block.changes) items.push(fromChange(c));
  for (const d of block.drift) {
    items.push({ kind: 'extraGrant', integration: d.integration, username: d.username, type: d.type, name: d.name, line: d.line });
  }
  // A new user's grants are part of "missing user", not findings of their own.
  const created = new Set(block.changes.filter((c) => c.action === 'create').map((c) => c.username));
  return {
    file: spec.file,
    environment: spec.environment ?? null,
    usernames: work.map((w) => w.username.toLowerCase()),
    items: items.filter((i) => i.kind === 'missingUser' || !created.has(i.username)),
  };
}

function fromChange(c: SpecChange): SpecDriftItem {
  const base = { integration: c.integration, username: c.username, type: c.type, name: c.name, line: c.line, ...(c.reason ? { reason: c.reason } : {}) };
  switch (c.action) {
    case 'create':
      return { ...base, kind: 'missingUser' };
    case 'assign':
      return { ...base, kind: 'missingGrant' };
    case 'unassign':
      return { ...base, kind: 'extraGrant' };
    case 'deactivate':
      return { ...base, kind: 'stateDrift', from: 'active', to: 'inactive' };
    default:
      if (c.type === 'field' && c.name === 'IsActive') return { ...base, kind: 'stateDrift', from: 'inactive', to: 'active' };
      return { ...base, kind: c.type === 'field' ? 'fieldDrift' : 'expiryDrift', from: c.from ?? null, to: c.to ?? null };
  }
}
