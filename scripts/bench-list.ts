/**
 * `node --import tsx scripts/bench-list.ts` (part of `npm run bench`; build first): runs
 * `bin/run.js integration user list -o emu --json` against the in-process org emulator for the default
 * seed and for `{scale: 10000}`, and prints a Markdown table of HTTP requests and wall time.
 * One warm-up run precedes each measured run, so one-time work (API-version discovery, caches) isn't counted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeResult, REPO_ROOT, startE2E } from '../test/e2e/harness.js';
import type { EmulatorOptions } from '../test/emulator/index.js';
import type { IntegrationUserListResult } from '../src/commands/integration/user/list.js';

const PAGE_SIZE = 2000;
const BASE_BUDGET = 6;

type Row = { seed: string; users: number; requests: number; firstRunRequests: number; budget: number; wallMs: number };

async function measure(label: string, seed: EmulatorOptions['seed']): Promise<Row> {
  const e2e = await startE2E({ seed });
  try {
    const args = ['integration', 'user', 'list', '-o', 'emu', '--json'];
    e2e.emu.resetRequestLog();
    const warmUp = await e2e.run(args);
    const firstRunRequests = e2e.emu.requests.length;
    if (warmUp.exitCode !== 0) throw new Error(`warm-up failed: ${describeResult(warmUp)}`);
    e2e.emu.resetRequestLog();
    const started = performance.now();
    const run = await e2e.run(args);
    const wallMs = performance.now() - started;
    const requests = e2e.emu.requests.length;
    if (run.exitCode !== 0) throw new Error(`list failed: ${describeResult(run)}`);
    const { result } = run.json as { result: IntegrationUserListResult };
    // Extra pages the budget allows: every query past its first 2000 rows (users, PSL assignments,
    // permission set assignments, logins of the listed users).
    const ids = new Set(result.users.map((u) => u.id));
    const rows = [
      result.users.length,
      e2e.emu.db.records('PermissionSetLicenseAssign').filter((r) => ids.has(String(r.AssigneeId))).length,
      e2e.emu.db.records('PermissionSetAssignment').filter((r) => ids.has(String(r.AssigneeId))).length,
      e2e.emu.db.records('UserLogin').filter((r) => ids.has(String(r.UserId))).length,
    ];
    const extraPages = rows.reduce((sum, n) => sum + Math.max(0, Math.ceil(n / PAGE_SIZE) - 1), 0);
    return { seed: label, users: result.users.length, requests, firstRunRequests, budget: BASE_BUDGET + extraPages, wallMs };
  } finally {
    await e2e.close();
  }
}

if (!existsSync(join(REPO_ROOT, 'lib', 'commands', 'integration', 'user', 'list.js'))) {
  process.stderr.write('lib/ is missing: run npm run build first\n');
  process.exit(1);
}

const rows = [await measure('default', 'default'), await measure('scale 10000', { scale: 10_000 })];
const lines = [
  '## integration user list',
  '',
  '`bin/run.js integration user list -o emu --json` against the org emulator (no injected latency); requests',
  'counted from the emulator log after login and after one warm-up run (so API-version discovery is not',
  `counted; the first run's count is shown apart). Budget: ${BASE_BUDGET} requests plus one per extra ${PAGE_SIZE}-row page.`,
  'Wall time is one measured run and includes Node start-up.',
  '',
  '| Seed | Users listed | HTTP requests | Budget | First run (warm-up) | Wall time |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.seed} | ${r.users} | ${r.requests} | ≤ ${r.budget} | ${r.firstRunRequests} | ${(r.wallMs / 1000).toFixed(2)} s |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
const over = rows.filter((r) => r.requests > r.budget);
if (over.length > 0) {
  process.stderr.write(`over budget: ${over.map((r) => r.seed).join(', ')}\n`);
  process.exit(1);
}
