/**
 * `node --import tsx scripts/bench-list.ts` (part of `npm run bench`; build first): runs
 * `sf integration user list -o emu --json` through the packed plugin installed as a user plugin
 * (scripts/benchInstalled.ts: the plugin as users run it) against the in-process org emulator for the default
 * seed, `{scale: 10000}` and `{scale: 50000}` (also at 300 ms latency per request), and prints a Markdown
 * table of HTTP requests (from the emulator's log) and wall time. One warm-up run precedes each measured run,
 * so one-time work (API-version discovery, caches) isn't counted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeResult, REPO_ROOT } from '../test/e2e/harness.js';
import { startInstalled } from './benchInstalled.js';
import type { EmulatorOptions } from '../test/emulator/index.js';
import type { IntegrationUserListResult } from '../src/commands/integration/user/list.js';

const PAGE_SIZE = 2000;
const BASE_BUDGET = 6;

type Row = {
  seed: string;
  users: number;
  requests: number;
  unfilteredRequests: number;
  firstRunRequests: number;
  budget: number;
  wallMs: number;
};

const pages = (rows: number): number => Math.max(0, Math.ceil(rows / PAGE_SIZE) - 1);

async function measure(label: string, seed: EmulatorOptions['seed'], latencyMs = 0): Promise<Row> {
  const e2e = await startInstalled({ seed, latencyMs });
  try {
    const args = ['integration', 'user', 'list', '-o', 'emu', '--json'];
    const list = (): ReturnType<typeof e2e.sfInstalled> => e2e.sfInstalled(args, { timeoutMs: 600_000 });
    e2e.emu.resetRequestLog();
    const warmUp = await list();
    const firstRunRequests = e2e.emu.requests.length;
    if (warmUp.exitCode !== 0) throw new Error(`warm-up failed: ${describeResult(warmUp)}`);
    e2e.emu.resetRequestLog();
    const started = performance.now();
    const run = await list();
    const wallMs = performance.now() - started;
    const requests = e2e.emu.requests.length;
    if (run.exitCode !== 0) throw new Error(`list failed: ${describeResult(run)}`);
    const { result } = run.json as { result: IntegrationUserListResult };
    // Extra pages the budget allows: every query past its first 2000 rows of what it keeps (users, PSL
    // assignments, permission set assignments other than the profile's own, UserLogin rows of frozen users).
    const db = e2e.emu.db;
    const ids = new Set(result.users.map((u) => u.id));
    const profileOwned = new Set(db.records('PermissionSet').filter((p) => p.IsOwnedByProfile === true).map((p) => String(p.Id)));
    const psa = db.records('PermissionSetAssignment').filter((r) => ids.has(String(r.AssigneeId)));
    const logins = db.records('UserLogin').filter((r) => ids.has(String(r.UserId)));
    const psla = db.records('PermissionSetLicenseAssign').filter((r) => ids.has(String(r.AssigneeId))).length;
    const kept = [result.users.length, psla, psa.filter((r) => !profileOwned.has(String(r.PermissionSetId))).length, logins.filter((r) => r.IsFrozen === true).length];
    // What the same two composites would cost without the SOQL filters (every assignment, every UserLogin row).
    const unfiltered = [result.users.length, psla, psa.length, logins.length];
    const extra = (rows: number[]): number => rows.reduce((sum, n) => sum + pages(n), 0);
    return {
      seed: latencyMs ? `${label}, ${latencyMs} ms latency` : label,
      users: result.users.length,
      requests,
      unfilteredRequests: 2 + extra(unfiltered),
      firstRunRequests,
      budget: BASE_BUDGET + extra(kept),
      wallMs,
    };
  } finally {
    await e2e.close();
  }
}

if (!existsSync(join(REPO_ROOT, 'lib', 'commands', 'integration', 'user', 'list.js'))) {
  process.stderr.write('lib/ is missing: run npm run build first\n');
  process.exit(1);
}

const rows = [
  await measure('default', 'default'),
  await measure('scale 10000', { scale: 10_000 }),
  await measure('scale 50000', { scale: 50_000 }),
  await measure('scale 50000', { scale: 50_000 }, 300),
];
const lines = [
  '## integration user list',
  '',
  '`sf integration user list -o emu --json` through the packed plugin installed as a user plugin (`scripts/benchInstalled.ts`)',
  'against the org emulator (no injected latency unless the seed says so); requests',
  'counted from the emulator log after login and after one warm-up run (so API-version discovery is not',
  `counted; the first run's count is shown apart). Budget: ${BASE_BUDGET} requests plus one per extra ${PAGE_SIZE}-row page`,
  'of the rows the list keeps. The rights of the running user ride in the first composite (no extra request).',
  'SOQL filters out what the list would throw away (profile-owned permission set assignments, UserLogin rows',
  'of users who are not frozen); "Without filters" is what the same reads cost before, computed from the',
  "emulator's row counts. Cursors and their pages are fetched concurrently, at most 4 requests in flight.",
  'Wall time is one measured run of the whole sf process (Node start-up, oclif, login file, HTTP; see "Start-up").',
  '',
  '| Seed | Users listed | HTTP requests | Without filters | Budget | First run (warm-up) | Wall time |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.seed} | ${r.users} | ${r.requests} | ${r.unfilteredRequests} | ≤ ${r.budget} | ${r.firstRunRequests} | ${(r.wallMs / 1000).toFixed(2)} s |`
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
const over = rows.filter((r) => r.requests > r.budget);
if (over.length > 0) {
  process.stderr.write(`over budget: ${over.map((r) => r.seed).join(', ')}\n`);
  process.exit(1);
}
