/**
 * Injected faults: latency, 503s, request-limit 403s, dropped connections, the Nth record write failing, the
 * answer of the request performing the Nth record write lost after it committed, and write requests held
 * back until other reads were answered (to stage a race between two clients deterministically).
 */
import { SalesforceError } from './types.js';

export type FaultMatch = string | RegExp;
export type CountedFault = { count: number; match?: FaultMatch };

export type Faults = {
  latencyMs?: number;
  http503?: CountedFault;
  requestLimitExceeded?: CountedFault;
  dropConnection?: CountedFault;
  /** The Nth record write from now (insert/update/delete of one record, in any request) fails with UNKNOWN_EXCEPTION. */
  failNthWrite?: number;
  /**
   * The HTTP request performing the Nth record write from now (counted like failNthWrite) runs and commits as
   * usual, then its socket is destroyed without an answer (logged with status 0). Once.
   */
  dropResponseAfterCommit?: number;
  /**
   * The next `writes` (default 1) write requests (server.ts `isReadRequest`: anything but a GET or a composite
   * of GETs) are held, not run, until `reads` (default 1) read requests matching `match` have been answered
   * after the write arrived — or `timeoutMs` (default 10000) passed. Then each held write runs as usual.
   * Stages "two clients read, then both write": the first writer's write waits for the other's read.
   */
  holdWritesUntilReads?: WriteHold;
};

export type WriteHold = { writes?: number; reads?: number; match?: FaultMatch; timeoutMs?: number };

/** A held write request: released by enough answered reads, a timeout, or setFaults. */
type HeldWrite = { readsLeft: number; match?: FaultMatch; release: () => void };

export type RequestFault = 'http503' | 'requestLimitExceeded' | 'dropConnection';

export class FaultState {
  private active: Faults = {};
  private writes = 0;
  /** Set when the current request performed the write dropResponseAfterCommit waits for. */
  private dropPending = false;
  private holdsLeft = 0;
  private held: HeldWrite[] = [];
  /** Record writes attempted by the request being dispatched (for the request log; dispatch is synchronous). */
  private requestWrites = 0;

  public constructor(private readonly baseLatencyMs = 0) {}

  /** Replaces the active faults (counts are copied, so the caller's object is left alone). */
  public set(faults: Faults): void {
    const copy = (f?: CountedFault): CountedFault | undefined => (f ? { ...f } : undefined);
    this.active = {
      latencyMs: faults.latencyMs,
      http503: copy(faults.http503),
      requestLimitExceeded: copy(faults.requestLimitExceeded),
      dropConnection: copy(faults.dropConnection),
      failNthWrite: faults.failNthWrite,
      dropResponseAfterCommit: faults.dropResponseAfterCommit,
      holdWritesUntilReads: faults.holdWritesUntilReads ? { ...faults.holdWritesUntilReads } : undefined,
    };
    this.writes = 0;
    this.dropPending = false;
    this.holdsLeft = faults.holdWritesUntilReads?.writes ?? (faults.holdWritesUntilReads ? 1 : 0);
    // Writes held by the faults being replaced run now.
    for (const held of this.held.splice(0)) held.release();
  }

  /**
   * holdWritesUntilReads: for a write request, a promise that resolves when it may run (undefined: run now).
   * Each call consumes one held write.
   */
  public holdWrite(): Promise<void> | undefined {
    const hold = this.active.holdWritesUntilReads;
    if (!hold || this.holdsLeft <= 0) return undefined;
    this.holdsLeft--;
    return new Promise<void>((resolve) => {
      const entry: HeldWrite = {
        readsLeft: hold.reads ?? 1,
        match: hold.match,
        release: () => {
          clearTimeout(timer);
          this.held = this.held.filter((h) => h !== entry);
          resolve();
        },
      };
      const timer = setTimeout(entry.release, hold.timeoutMs ?? 10_000);
      timer.unref();
      if (entry.readsLeft <= 0) entry.release();
      else this.held.push(entry);
    });
  }

  /** Starts counting the record writes of one request (dispatch runs synchronously, so counts never mix). */
  public startRequest(): void {
    this.requestWrites = 0;
  }

  /** The record writes attempted since startRequest (rolled-back ones included). */
  public requestWriteCount(): number {
    return this.requestWrites;
  }

  /** A read request ("METHOD path") was answered: counts towards every held write it matches. */
  public readAnswered(methodAndPath: string): void {
    for (const held of [...this.held]) {
      if (!matches(held.match, methodAndPath)) continue;
      held.readsLeft--;
      if (held.readsLeft <= 0) held.release();
    }
  }

  public latencyMs(): number {
    return this.active.latencyMs ?? this.baseLatencyMs;
  }

  /** True (and one use consumed) when a counted fault of this kind applies to "METHOD path". */
  public take(kind: RequestFault, methodAndPath: string): boolean {
    const fault = this.active[kind];
    if (!fault || fault.count <= 0 || !matches(fault.match, methodAndPath)) return false;
    fault.count--;
    return true;
  }

  /** Counts one record write; throws UNKNOWN_EXCEPTION when it is the one set to fail (once). */
  public countWrite(): void {
    this.requestWrites++;
    if (this.active.failNthWrite === undefined && this.active.dropResponseAfterCommit === undefined) return;
    this.writes++;
    if (this.writes === this.active.dropResponseAfterCommit) {
      this.active.dropResponseAfterCommit = undefined;
      this.dropPending = true;
    }
    if (this.active.failNthWrite === undefined || this.writes < this.active.failNthWrite) return;
    this.active.failNthWrite = undefined;
    throw new SalesforceError(
      'UNKNOWN_EXCEPTION',
      'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
      500
    );
  }

  /** True (once) when the request that just ran performed the write whose answer is to be lost. */
  public takeDropAfterCommit(): boolean {
    const pending = this.dropPending;
    this.dropPending = false;
    return pending;
  }
}

function matches(match: FaultMatch | undefined, text: string): boolean {
  if (match === undefined) return true;
  return typeof match === 'string' ? text.includes(match) : match.test(text);
}
