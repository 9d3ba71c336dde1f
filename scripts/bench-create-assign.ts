/**
 * Benchmark of `integration user create` and `assign` against the org emulator with 100 ms injected
 * latency, side by side with plugin-user's `sf org assign permsetlicense` + `sf org assign permset` (bundled
 * in @salesforce/cli) on the same emulator. Counts the HTTP requests each command makes (from the
 * emulator's log) and its wall time; prints a Markdown section (used by `npm run bench`). Every command runs
 * through the real sf with this plugin packed and installed as a user plugin (scripts/benchInstalled.ts),
 * as users run it; plugin-user's commands are sf's built-in ones of the same sf.
 */
import { performance } from 'node:perf_hooks';
import type { CliResult, E2E } from '../test/e2e/harness.js';
import { startInstalled } from './benchInstalled.js';

const LATENCY_MS = 100;
const BUDGETS = { create: 3, createLost: 4, assign1: 3, assign50: 4, assign200: 6 };

type Row = { scenario: string; tool: string; requests: number; wallMs: number; budget?: number; exitCodes: number[] };

async function measure(e2e: E2E, label: string, tool: string, calls: Array<() => Promise<CliResult>>, budget?: number): Promise<Row> {
  e2e.emu.resetRequestLog();
  const start = performance.now();
  const exitCodes: number[] = [];
  for (const call of calls) {
    // Commands of one scenario run one after the other, as a user would type them.
    const result = await call();
    exitCodes.push(result.exitCode);
    if (budget !== undefined && result.exitCode !== 0) throw new Error(`${label} (${tool}) failed: exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
  }
  const wallMs = performance.now() - start;
  return { scenario: label, tool, requests: e2e.emu.requests.length, wallMs, budget, exitCodes };
}

const SETS = ['Billing_Sync_Access', 'Integration_Reader', 'Marketing_Shared'];
const flagsOf = (flag: string, values: readonly string[]): string[] => values.flatMap((v) => [flag, v]);

const rows: Row[] = [];
const e2e = await startInstalled({ latencyMs: LATENCY_MS, seed: { scale: 2000 } });
try {
  // A generous timeout: plugin-user's 50-user run makes hundreds of requests at the injected latency.
  const sf = (args: string[]) => (): Promise<CliResult> => e2e.sfInstalled(args, { timeoutMs: 900_000 });
  const integrationProfile = e2e.emu.db.records('Profile').find((p) => p.Name === 'Minimum Access - API Only Integrations')?.Id;
  const integrationUsers = e2e.emu.db
    .records('User')
    .filter((u) => u.IsActive === true && u.ProfileId === integrationProfile)
    .map((u) => String(u.Username));

  rows.push(
    await measure(e2e, 'create: user + API Integration PSL + 3 sets + 1 group', 'sf integration user create', [
      sf(['integration', 'user', 'create', '-o', 'emu', '-n', 'Bench Sync', ...flagsOf('-p', [...SETS.slice(0, 2), 'Integration_API_Access']), '-g', 'Integration_Bundle']),
    ], BUDGETS.create)
  );

  // The write's answer is lost (the org commits, the connection drops): the command re-reads once.
  e2e.emu.setFaults({ latencyMs: LATENCY_MS, dropResponseAfterCommit: 1 });
  rows.push(
    await measure(e2e, 'create, answer of the write lost: + 1 re-read', 'sf integration user create', [
      sf(['integration', 'user', 'create', '-o', 'emu', '-n', 'Bench Lost', ...flagsOf('-p', SETS.slice(0, 2))]),
    ], BUDGETS.createLost)
  );
  e2e.emu.setFaults({ latencyMs: LATENCY_MS });

  const one = ['shared.connector@acme.example.com'];
  rows.push(
    await measure(e2e, 'assign 3 sets + 1 PSL to 1 user', 'sf integration user assign', [
      sf(['integration', 'user', 'assign', '-o', 'emu', ...flagsOf('-b', one), '-l', 'SalesforceCPQ_CPQStandardPerm', ...flagsOf('-p', SETS)]),
    ], BUDGETS.assign1)
  );
  const peerOne = ['warehouse.sync@acme.example.com'];
  rows.push(
    await measure(e2e, 'assign 3 sets + 1 PSL to 1 user', 'plugin-user: sf org assign permsetlicense + permset', [
      sf(['org', 'assign', 'permsetlicense', '-o', 'emu', ...flagsOf('-b', peerOne), '-n', 'SalesforceAPIIntegrationPsl']),
      sf(['org', 'assign', 'permset', '-o', 'emu', ...flagsOf('-b', peerOne), ...flagsOf('-n', SETS)]),
    ])
  );

  const fifty = integrationUsers.filter((u) => !one.includes(u) && !peerOne.includes(u)).slice(0, 100);
  const twoHundred = integrationUsers.filter((u) => !one.includes(u) && !peerOne.includes(u)).slice(100, 300);
  const ours = fifty.slice(0, 50);
  const theirs = fifty.slice(50, 100);
  if (ours.length === 50) {
    rows.push(
      await measure(e2e, 'assign 3 sets + 1 PSL to 50 users', 'sf integration user assign', [
        sf(['integration', 'user', 'assign', '-o', 'emu', ...flagsOf('-b', ours), '-l', 'SalesforceAPIIntegrationPsl', ...flagsOf('-p', SETS)]),
      ], BUDGETS.assign50)
    );
  }
  if (theirs.length === 50) {
    rows.push(
      await measure(e2e, 'assign 3 sets + 1 PSL to 50 users', 'plugin-user: sf org assign permsetlicense + permset', [
        sf(['org', 'assign', 'permsetlicense', '-o', 'emu', ...flagsOf('-b', theirs), '-n', 'SalesforceAPIIntegrationPsl']),
        sf(['org', 'assign', 'permset', '-o', 'emu', ...flagsOf('-b', theirs), ...flagsOf('-n', SETS)]),
      ])
    );
  }
  if (twoHundred.length === 200) {
    rows.push(
      await measure(e2e, 'assign 3 sets + 1 PSL to 200 users', 'sf integration user assign', [
        sf(['integration', 'user', 'assign', '-o', 'emu', ...flagsOf('-b', twoHundred), '-l', 'SalesforceAPIIntegrationPsl', ...flagsOf('-p', SETS)]),
      ], BUDGETS.assign200)
    );
  } else {
    throw new Error(`the seed has only ${twoHundred.length + 100} free active integration users`);
  }
} finally {
  await e2e.close();
}

const lines = [
  '## integration user create / assign',
  '',
  `Org emulator with ${LATENCY_MS} ms injected latency per request, default seed plus 2000 generated users (about 360 active integration users); every command through the real \`sf\`, this plugin packed and installed as a user plugin (\`scripts/benchInstalled.ts\`). Requests = every HTTP request the emulator received for the scenario (after login).`,
  '',
  '| Scenario | Tool | HTTP requests | Budget | Wall time | Exit code(s) |',
  '| --- | --- | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.tool} | ${r.requests} | ${r.budget === undefined ? '' : `≤ ${r.budget} ${r.requests <= r.budget ? '✅' : '❌'}`} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.exitCodes.join(', ')} |`
  ),
  '',
  'create: 2 read requests (the first read holds 10 queries: rights, licenses (2), the user with its nickname clashes and the running user, its PSL and set assignments, the sets, groups and group components, the integration profile; a composite carries at most 5 queries) + 1 all-or-nothing write. The floor is 1 read + 1 write: what stands between is the 5-query limit per composite (the 10 queries need 2 requests; fetched concurrently, so the wall time is about one round trip). When the answer of the write is lost, one more request re-reads the user and its grants.',
  '',
  'One user: ours adds the Salesforce CPQ License and the sets shared.connector lacks; plugin-user adds the API Integration PSL and 3 sets to warehouse.sync (which lacks the PSL: with `sf org assign permset` alone its license-less sets fail). Wall times include each CLI process start (about 1.5 s per `sf` call on an idle machine; measured runs may share the 2 cores with other work, request counts are unaffected).',
  '',
];
process.stdout.write(lines.join('\n'));
const over = rows.filter((r) => r.budget !== undefined && r.requests > r.budget);
if (over.length > 0) {
  process.stderr.write(`over budget: ${over.map((r) => r.scenario).join(', ')}\n`);
  process.exitCode = 1;
}
