/**
 * Injected faults: latency, 503s, request-limit 403s, dropped connections, the Nth record write failing, and
 * the answer of the request performing the Nth record write lost after it committed.
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
};

export type RequestFault = 'http503' | 'requestLimitExceeded' | 'dropConnection';

export class FaultState {
  private active: Faults = {};
  private writes = 0;
  /** Set when the current request performed the write dropResponseAfterCommit waits for. */
  private dropPending = false;

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
    };
    this.writes = 0;
    this.dropPending = false;
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
