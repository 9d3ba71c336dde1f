/**
 * Benchmark of integrations as code (`plan`, `apply`) against the org emulator with injected latency:
 * 20 new integrations (each: user + API Integration PSL + 2 sets + 1 group), side by side with 20
 * `sf integration user create` runs, and with plugin-user's `sf org assign permsetlicense` + `permset` for
 * the grants (plugin-user cannot create an integration user nor assign a group). Counts the HTTP requests
 * each run makes (emulator log) and its wall time; prints a Markdown section (used by `npm run bench`).
 * Every command runs through the real sf with this plugin packed and installed as a user plugin
 * (scripts/benchInstalled.ts), as users run it; plugin-user's are sf's built-in ones of the same sf.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CliResult, E2E } from '../test/e2e/harness.js';
import { startInstalled } from './benchInstalled.js';

const LATENCY_MS = 50;
const BUDGETS = { plan: 3, applyReads: 3, applyWrites: 2, converged: 3 };
const SETS = ['Billing_Sync_Access', 'Integration_Reader'];
const GROUP = 'Integration_Bundle';

type Row = { scenario: string; tool: string; requests: number; reads: number | null; writes: number | null; wallMs: number; budget: string; ok: boolean; exitCodes: number[] };

const isWrite = (r: { method: string; path: string }): boolean => r.method !== 'GET' && !/\/composite$/.test(r.path);

async function measure(
  e2e: E2E,
  scenario: string,
  tool: string,
  calls: Array<() => Promise<CliResult>>,
  budget?: { reads?: number; writes?: number; total?: number },
  /** false: the tool writes through POST composite too, so reads and writes can't be told apart from the log. */
  split = true
): Promise<Row> {
  e2e.emu.resetRequestLog();
  const start = performance.now();
  const exitCodes: number[] = [];
  for (const call of calls) {
    // One run after the other, as a user (or a script) would.
     
    const result = await call();
    exitCodes.push(result.exitCode);
  }
  const wallMs = performance.now() - start;
  const requests = e2e.emu.requests.filter((r) => r.path.includes('/services/'));
  const writes = requests.filter(isWrite).length;
  const reads = requests.length - writes;
  const checks: string[] = [];
  let ok = true;
  if (budget?.reads !== undefined) {
    checks.push(`reads ≤ ${budget.reads}`);
    ok &&= reads <= budget.reads;
  }
  if (budget?.writes !== undefined) {
    checks.push(`writes ≤ ${budget.writes}`);
    ok &&= writes <= budget.writes;
  }
  if (budget?.total !== undefined) {
    checks.push(`≤ ${budget.total}`);
    ok &&= requests.length <= budget.total;
  }
  return { scenario, tool, requests: requests.length, reads: split ? reads : null, writes: split ? writes : null, wallMs, budget: checks.length ? `${checks.join(', ')} ${ok ? '✅' : '❌'}` : '', ok, exitCodes };
}

function spec(prefix: string, count: number): string {
  const lines = ['version: 1', 'integrations:'];
  for (let i = 1; i <= count; i++) lines.push(`  - name: ${prefix} ${i}`, `    permissionSets: [${SETS.join(', ')}]`, `    permissionSetGroups: [${GROUP}]`);
  return `${lines.join('\n')}\n`;
}

const rows: Row[] = [];
const dir = await mkdtemp(join(tmpdir(), 'bench-spec-'));
const e2e = await startInstalled({ latencyMs: LATENCY_MS, integrationLicenses: 80 });
try {
  // Ours and plugin-user's through the same sf (ours installed as a user plugin, plugin-user built in).
  const run = (args: string[]) => (): Promise<CliResult> => e2e.sfInstalled(args, { timeoutMs: 300_000 });
  const sf = run;
  const file = join(dir, 'integrations.yaml');
  await writeFile(file, spec('Bench Feed', 20));
  // warm-up (the first CLI start compiles caches), not counted
  await run(['integration', 'user', 'plan', '-f', file, '-o', 'emu', '--json'])();

  rows.push(await measure(e2e, 'plan of 20 new integrations', 'sf integration user plan', [run(['integration', 'user', 'plan', '-f', file, '-o', 'emu', '--json'])], { total: BUDGETS.plan }));
  rows.push(
    await measure(e2e, 'apply of 20 new integrations (user + API PSL + 2 sets + 1 group each)', 'sf integration user apply', [run(['integration', 'user', 'apply', '-f', file, '-o', 'emu', '--json'])], {
      reads: BUDGETS.applyReads,
      writes: BUDGETS.applyWrites,
    })
  );
  rows.push(await measure(e2e, 'apply again (converged)', 'sf integration user apply', [run(['integration', 'user', 'apply', '-f', file, '-o', 'emu', '--json'])], { writes: 0, total: BUDGETS.converged }));
  rows.push(await measure(e2e, 'plan (converged)', 'sf integration user plan', [run(['integration', 'user', 'plan', '-f', file, '-o', 'emu', '--json'])], { total: BUDGETS.plan }));

  const creates = Array.from({ length: 20 }, (_, i) =>
    run(['integration', 'user', 'create', '-o', 'emu', '-n', `Bench Create ${i + 1}`, ...SETS.flatMap((s) => ['-p', s]), '-g', GROUP, '--json'])
  );
  rows.push(await measure(e2e, 'the same 20 integrations, one create each', '20 × sf integration user create', creates, undefined, false));

  const created = e2e.emu.db
    .records('User')
    .filter((u) => String(u.Username).startsWith('bench.create.'))
    .map((u) => String(u.Username));
  // plugin-user can't create an integration user or assign a group: the PSL and the 2 sets of the 20 users
  // just created, after removing them again, so it does real work.
  for (const u of e2e.emu.db.records('User').filter((x) => created.includes(String(x.Username)))) {
    for (const a of e2e.emu.db.records('PermissionSetAssignment').filter((p) => p.AssigneeId === u.Id && !p.PermissionSetGroupId)) {
      const set = e2e.emu.db.records('PermissionSet').find((s) => s.Id === a.PermissionSetId);
      if (set && SETS.includes(String(set.Name))) e2e.emu.db.delete(String(a.Id));
    }
  }
  rows.push(
    await measure(e2e, 'the 2 sets of the 20 users (no user, no group)', 'plugin-user: sf org assign permset', [
      sf(['org', 'assign', 'permset', '-o', 'emu', ...created.flatMap((u) => ['-b', u]), ...SETS.flatMap((s) => ['-n', s])]),
    ])
  );
} finally {
  await e2e.close();
  await rm(dir, { recursive: true, force: true });
}

/** `0 × 20` for twenty runs that all exited 0, else the codes one by one. */
const exitCodesText = (codes: number[]): string =>
  codes.length > 2 && codes.every((c) => c === codes[0]) ? `${codes[0]} × ${codes.length}` : codes.join(', ');

const lines = [
  '## integration user plan / apply (integrations as code)',
  '',
  `Org emulator with ${LATENCY_MS} ms injected latency per request, default seed, 80 integration seats; every command through the real \`sf\`, this plugin packed and installed as a user plugin (\`scripts/benchInstalled.ts\`), plugin-user built in. Requests = every HTTP request the emulator received for the scenario (after login); writes = every non-GET request except query composites.`,
  '',
  '| Scenario | Tool | HTTP requests | Reads | Writes | Budget | Wall time | Exit code(s) |',
  '| --- | --- | ---: | ---: | ---: | --- | ---: | --- |',
  ...rows.map((r) => `| ${r.scenario} | ${r.tool} | ${r.requests} | ${r.reads ?? '—'} | ${r.writes ?? '—'} | ${r.budget} | ${(r.wallMs / 1000).toFixed(2)} s | ${exitCodesText(r.exitCodes)} |`),
  '',
  'plan and apply read the whole spec at once: the running user\'s rights, licenses (2), the users with the fields the spec gives, nicknames in use and the running user, their PSL and set assignments, the sets, groups and group components, the integration profile — 10 queries, 2 composite requests (5 queries each), fetched concurrently. apply then sends one `composite/graph` request: one graph per integration, each all-or-nothing on its own (REST API guide, "Composite Graph"; ≤ 75 graphs and ≤ 500 nodes a request, so 20 integrations × 5 records fit one). A converged re-run makes the same reads and no write. 20 `create` runs: 3 requests each (2 reads, 1 all-or-nothing composite write), 60 in all, and 20 CLI starts.',
  '',
];
process.stdout.write(lines.join('\n'));
const over = rows.filter((r) => !r.ok);
if (over.length > 0) {
  process.stderr.write(`over budget: ${over.map((r) => r.scenario).join(', ')}\n`);
  process.exitCode = 1;
}
