/**
 * `apply`: exactly the changes planSpec computes, written all-or-nothing per integration: one graph per
 * integration in `composite/graph` requests (each graph commits or rolls back on its own, so one
 * integration's failure neither stops the others nor leaves it half-configured). 20 new integrations of
 * 5 records each fit one request (≤ 75 graphs, ≤ 500 nodes). When a write request's answer is lost, the
 * org is read again and each integration's outcome is what the org holds.
 */
import { compositeGraph, dataUrl, firstError, isUncertain, type Graph, type GraphResult, type OrgConnection, type SubRequest } from '../api.js';
import { EXIT_CODES } from '../exitCodes.js';
import { assignmentRecord } from '../grants/write.js';
import { countRequests, packGraphs, planSpec, type IntegrationWork, type PlanOptions, type SpecChange, type SpecDrift, type SpecPlan } from './plan.js';
import type { ResolvedSpec } from './types.js';

export type IntegrationApplyStatus =
  /** Every change written (in one all-or-nothing graph). */
  | 'applied'
  /** Nothing to change. */
  | 'unchanged'
  /** --dry-run: these changes would be written. */
  | 'planned'
  /** The org refused the graph: nothing of this integration was written. */
  | 'failed';

export type IntegrationApplyOutcome = {
  integration: string;
  username: string;
  status: IntegrationApplyStatus;
  /** The changes written (applied), to write (planned, failed), or none (unchanged). */
  changes: SpecChange[];
  /** Salesforce's error, for a failed integration. */
  error?: string;
  line: number;
};

/** One environment's apply result. */
export type SpecApplyBlock = {
  environment: string | null;
  targetOrg: string;
  dryRun: boolean;
  /** True when the org matches the spec after this run (every integration applied or unchanged, no drift left). */
  converged: boolean;
  integrations: IntegrationApplyOutcome[];
  /** Every change written by this run (dry run: that would be written). */
  changes: SpecChange[];
  /** Grants held that the spec doesn't list and that are still there (not pruned, or their integration failed). */
  drift: SpecDrift[];
  /** Set when a write's answer was lost: the outcomes come from a re-read of the org. */
  interrupted?: { reason: string };
  requests: number;
  readRequests: number;
  writeRequests: number;
};

export type ApplyOptions = PlanOptions & { dryRun: boolean };

/** Plans, then writes; returns the result and its exit code (0 all done, 68 some failed, 1 none done). */
export async function applySpec(conn: OrgConnection, spec: ResolvedSpec, options: ApplyOptions): Promise<{ block: SpecApplyBlock; exitCode: number }> {
  const counter = countRequests(conn);
  const plan = await planSpec(counter.conn, spec, options);
  const readRequests = counter.count();
  const pending = plan.work.filter((w) => w.ops.length > 0);
  const outcomes = new Map<IntegrationWork, IntegrationApplyOutcome>();
  const outcome = (w: IntegrationWork, status: IntegrationApplyStatus, error?: string): IntegrationApplyOutcome => ({
    integration: w.integration,
    username: w.username,
    status,
    changes: status === 'unchanged' ? [] : w.changes,
    ...(error ? { error } : {}),
    line: w.line,
  });
  for (const w of plan.work) if (w.ops.length === 0) outcomes.set(w, outcome(w, 'unchanged'));
  let interrupted: SpecApplyBlock['interrupted'];
  let rereadRequests = 0;

  if (options.dryRun) {
    for (const w of pending) outcomes.set(w, outcome(w, 'planned'));
  } else if (pending.length > 0) {
    const lost = await writeGraphs(counter.conn, pending, (w, error) => outcomes.set(w, outcome(w, error === undefined ? 'applied' : 'failed', error)));
    if (lost) {
      interrupted = { reason: lost.reason };
      // The org committed or rolled back each graph of the lost request: one re-read says which.
      const before = counter.count();
      const reread = await planSpec(counter.conn, spec, options);
      rereadRequests = counter.count() - before;
      for (const w of lost.work) {
        const now = reread.work.find((r) => r.integration === w.integration);
        const done = now !== undefined && now.ops.length === 0;
        outcomes.set(w, outcome(w, done ? 'applied' : 'failed', done ? undefined : `the org did not answer (${lost.reason}); not written`));
      }
    }
  }

  const results = plan.work.map((w) => outcomes.get(w) ?? outcome(w, 'failed', 'not written'));
  const failed = new Set(results.filter((r) => r.status === 'failed').map((r) => r.integration));
  const drift = plan.block.drift.filter((d) => !d.pruned || failed.has(d.integration) || options.dryRun);
  const writeRequests = counter.count() - readRequests - (interrupted ? rereadRequests : 0);
  const block: SpecApplyBlock = {
    environment: plan.block.environment,
    targetOrg: plan.block.targetOrg,
    dryRun: options.dryRun,
    converged: !options.dryRun ? failed.size === 0 && drift.length === 0 : plan.block.converged,
    integrations: results,
    changes: results.filter((r) => r.status === 'applied' || r.status === 'planned').flatMap((r) => r.changes),
    drift,
    ...(interrupted ? { interrupted } : {}),
    requests: counter.count(),
    readRequests,
    writeRequests: options.dryRun ? plan.block.writeRequests : writeRequests,
  };
  return { block, exitCode: applyExitCode(results) };
}

/** 0 when nothing failed, 68 when some integrations were applied and some failed, 1 when every one to change failed. */
export function applyExitCode(results: ReadonlyArray<{ status: IntegrationApplyStatus }>): number {
  const failed = results.filter((r) => r.status === 'failed').length;
  if (failed === 0) return EXIT_CODES.success;
  return results.some((r) => r.status === 'applied') ? EXIT_CODES.partialSuccess : EXIT_CODES.failure;
}

type Lost = { reason: string; work: IntegrationWork[] };

/**
 * Sends the graphs, packed into as few requests as the limits allow; calls `done` per integration (error
 * undefined = committed). Graphs the org halted after too many failures in one request are sent again.
 * Returns the integrations of a request whose answer was lost (their outcome is unknown).
 */
async function writeGraphs(conn: OrgConnection, pending: IntegrationWork[], report: (w: IntegrationWork, error?: string) => void): Promise<Lost | undefined> {
  let queue = pending;
  let anyAnswered = false;
  const answered = new Set<IntegrationWork>();
  const done = (w: IntegrationWork, error?: string): void => {
    answered.add(w);
    report(w, error);
  };
  for (let round = 0; queue.length > 0 && round <= pending.length; round++) {
    const halted: IntegrationWork[] = [];
    for (const indexes of packGraphs(queue.map((w) => w.ops.length))) {
      const batch = indexes.map((i) => queue[i]);
      const graphs: Graph[] = batch.map((w, i) => ({ graphId: `g${i}`, compositeRequest: nodes(conn, w) }));
      let results: GraphResult[];
      try {
        // Requests go one after the other: each one's answer is known before the next is sent.
        // eslint-disable-next-line no-await-in-loop
        results = await compositeGraph(conn, graphs);
      } catch (e) {
        // Unknown what this request committed: send nothing more; one re-read tells every unanswered integration's state.
        if (isUncertain(e)) return { reason: reasonOf(e), work: pending.filter((w) => !answered.has(w)) };
        if (!anyAnswered) throw e;
        for (const w of batch) done(w, reasonOf(e));
        continue;
      }
      anyAnswered = true;
      for (const [i, w] of batch.entries()) {
        const result = results.find((r) => r.graphId === `g${i}`);
        if (result?.isSuccessful) {
          done(w);
          continue;
        }
        const responses = result?.graphResponse?.compositeResponse ?? [];
        const errors = responses.filter((r) => r.httpStatusCode >= 400).map((r) => firstError(r.body));
        const cause = errors.find((x) => x.errorCode !== 'PROCESSING_HALTED');
        if (!cause && errors.length > 0 && round < pending.length) {
          halted.push(w);
          continue;
        }
        const error = cause ?? errors[0] ?? { errorCode: 'UNKNOWN_ERROR', message: 'no answer for this graph' };
        done(w, `${error.errorCode}: ${error.message}`);
      }
    }
    queue = halted;
  }
  return undefined;
}

/** One integration's graph: its writes in order, the new user referenced by the assignments that follow it. */
function nodes(conn: OrgConnection, work: IntegrationWork): SubRequest[] {
  const { ops } = work;
  const created = ops.some((o) => o.kind === 'createUser');
  const userId = (): string => '@{newUser.id}';
  const existingUser = work.userId ?? undefined;
  return ops.map((op, i): SubRequest => {
    switch (op.kind) {
      case 'createUser':
        return { method: 'POST', url: dataUrl(conn, 'sobjects/User'), referenceId: 'newUser', body: op.fields };
      case 'updateUser':
        return { method: 'PATCH', url: dataUrl(conn, `sobjects/User/${existingUser ?? ''}`), referenceId: `n${i}`, body: op.fields };
      case 'insertGrant': {
        const { attributes, ...record } = assignmentRecord(op.grant, created ? userId() : existingUser ?? '');
        const body = op.expires ? { ...record, ExpirationDate: expiryValue(op.expires) } : record;
        return { method: 'POST', url: dataUrl(conn, `sobjects/${attributes.type}`), referenceId: `n${i}`, body };
      }
      case 'deleteAssignment':
        return { method: 'DELETE', url: dataUrl(conn, `sobjects/${op.object}/${op.id}`), referenceId: `n${i}` };
      case 'updateExpiry':
        return {
          method: 'PATCH',
          url: dataUrl(conn, `sobjects/PermissionSetAssignment/${op.id}`),
          referenceId: `n${i}`,
          body: { ExpirationDate: op.expires ? expiryValue(op.expires) : null },
        };
    }
  });
}

/** PermissionSetAssignment.ExpirationDate is a date-time: the spec's date at midnight UTC. */
export function expiryValue(date: string): string {
  return `${date}T00:00:00.000+0000`;
}

function reasonOf(e: unknown): string {
  const err = e as { errorCode?: string; code?: string; message?: string };
  return err.errorCode ?? err.code ?? err.message ?? String(e);
}

export type { SpecPlan };
