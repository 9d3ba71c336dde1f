/**
 * `node --import tsx scripts/bench-audit.ts`: runs the audit rule engine in this process against the org
 * emulator started in a child process (`test/emulator/cli.ts`, so the emulator's memory and CPU are not
 * counted) and prints a Markdown table of HTTP requests, wall time and this process's peak RSS / heap:
 *   - the default seed and 10,000 users at 50 ms latency (the request budget: ≤ 12 composite requests + pages);
 *   - login volume: 2,000 users with 500 LoginHistory rows per integration user, and with 3,300 (about a
 *     million rows in all) (≤ 20 requests, < 400 MB);
 *   - 50,000 users at 300 ms latency (wall time: concurrency).
 * `BENCH_AUDIT_ENGINE=<path to an engine.ts>` measures another copy of the audit (e.g. an older commit's
 * `git archive` with node_modules linked) for a before/after comparison; `BENCH_AUDIT_ONLY=<label>` runs one row.
 * `BENCH_AUDIT_FINDINGS=<file>` writes each scenario's findings (rule, user, fingerprint; sorted) and rules not
 * evaluated as JSON, to compare two engines' answers; `BENCH_AUDIT_TRACE=1` prints each request's start, duration
 * and kind to stderr (where the wall time goes).
 */
import { writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { connectTo } from '../test/helpers/connection.js';
import type { OrgConnection } from '../src/shared/api.js';
import type { AuditRun } from '../src/shared/audit/types.js';

type Scenario = { label: string; scale: number | 'default'; latencyMs: number; loginsPerUser?: number; budget: string };
type Row = Scenario & {
  examined: number;
  findings: number;
  requests: number;
  pageRequests: number;
  otherRequests: number;
  wallMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  loginRows: string;
};

const SCENARIOS: Scenario[] = [
  { label: 'default seed', scale: 'default', latencyMs: 50, budget: '≤ 12 composite + pages' },
  { label: '10,000 users', scale: 10_000, latencyMs: 50, budget: '≤ 12 composite + pages' },
  { label: '2,000 users, 500 logins / integration user', scale: 2000, latencyMs: 50, loginsPerUser: 500, budget: '≤ 20 requests, < 400 MB' },
  // The "about a million rows": 500 a user gives ~150k in this seed (humans get a tenth, and only users who logged in within 90 days get any).
  { label: '2,000 users, 3,300 logins / integration user', scale: 2000, latencyMs: 50, loginsPerUser: 3300, budget: '≤ 20 requests, < 400 MB' },
  { label: '50,000 users at 300 ms', scale: 50_000, latencyMs: 300, budget: 'wall ≤ 0.35 × before, requests ≤ before' },
];

type Engine = { runAuditRules(conn: OrgConnection, options: { dormantDays: number; seatThresholdPercent: number }): Promise<AuditRun> };

async function loadEngine(): Promise<Engine> {
  const path = process.env.BENCH_AUDIT_ENGINE;
  return (await import(path ? pathToFileURL(path).href : '../src/shared/audit/engine.js')) as Engine;
}

async function startChildEmulator(s: Scenario): Promise<{ child: ChildProcess; instanceUrl: string; accessToken: string; username: string }> {
  // The emulator's own process (not through npm, whose shell would outlive a kill): its memory isn't ours.
  const cli = fileURLToPath(new URL('../test/emulator/cli.ts', import.meta.url));
  const args = ['--import', 'tsx', cli, '--seed', s.scale === 'default' ? 'default' : `scale:${s.scale}`, '--latency-ms', String(s.latencyMs)];
  if (s.loginsPerUser !== undefined) args.push('--logins-per-user', String(s.loginsPerUser));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    const info = JSON.parse(trimmed) as { instanceUrl: string; accessToken: string; username?: string };
    return { child, instanceUrl: info.instanceUrl, accessToken: info.accessToken, username: info.username ?? 'admin@acme.example.com' };
  }
  throw new Error('the emulator printed no JSON line');
}

async function loginRowCount(conn: Awaited<ReturnType<typeof connectTo>>): Promise<string> {
  const answer = await conn.request<{ totalSize: number }>({
    method: 'GET',
    url: `/services/data/v${conn.getApiVersion()}/query?q=${encodeURIComponent('SELECT COUNT() FROM LoginHistory')}`,
  });
  return answer.totalSize.toLocaleString('en-US');
}

async function measure(engine: Engine, s: Scenario): Promise<Row> {
  const emu = await startChildEmulator(s);
  try {
    const conn = await connectTo({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken }, '66.0');
    const loginRows = await loginRowCount(conn);
    let requests = 0;
    let pageRequests = 0;
    let otherRequests = 0;
    let t0 = 0;
    const trace = process.env.BENCH_AUDIT_TRACE === '1';
    const org: OrgConnection = {
      request: <R = unknown>(...args: Parameters<OrgConnection['request']>) => {
        requests++;
        // A GET of a query locator is a query's next page; every first page comes in a composite POST.
        const [req] = args;
        const url = typeof req === 'string' ? req : req.url;
        const kind = /\/query\/[^?]/.test(url) ? 'page' : url.endsWith('/composite') ? 'composite' : 'other';
        if (kind === 'page') pageRequests++;
        else if (kind === 'other') otherRequests++;
        const answer = conn.request<R>(...args);
        if (trace) {
          const start = performance.now() - t0;
          const what = kind === 'page' ? url.replace(/.*\/query\//, '') : kind === 'composite' ? compositeSummary(req) : url;
          void Promise.resolve(answer).finally(() =>
            process.stderr.write(`  ${(start / 1000).toFixed(2)}s +${((performance.now() - t0 - start) / 1000).toFixed(2)}s ${kind} ${what}\n`)
          );
        }
        return answer;
      },
      getApiVersion: () => conn.getApiVersion(),
      getUsername: () => emu.username,
    };
    global.gc?.();
    let peakRss = process.memoryUsage().rss;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 5);
    const started = performance.now();
    t0 = started;
    const run = await engine.runAuditRules(org, { dormantDays: 90, seatThresholdPercent: 80 });
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    answers[s.label] = {
      findings: run.findings.map((f) => `${f.ruleId} ${f.user ?? '-'} ${f.fingerprint}`).sort(),
      rulesNotEvaluated: run.rulesNotEvaluated.map((r) => r.ruleId).sort(),
    };
    const mb = (n: number): number => Math.round(n / 1024 / 1024);
    return {
      ...s,
      examined: run.usersExamined,
      findings: run.findings.length,
      requests,
      pageRequests,
      otherRequests,
      wallMs,
      peakRssMb: mb(peakRss),
      peakHeapMb: mb(peakHeap),
      loginRows,
    };
  } finally {
    emu.child.kill('SIGTERM');
  }
}

/** What a composite request asks: the FROM object of each query subrequest. */
function compositeSummary(req: Parameters<OrgConnection['request']>[0]): string {
  const body = typeof req === 'string' ? undefined : (req as { body?: string }).body;
  if (typeof body !== 'string') return '';
  const parsed = JSON.parse(body) as { compositeRequest?: Array<{ url: string }> };
  return (parsed.compositeRequest ?? []).map((r) => /FROM(?:\+|%20)(\w+)/.exec(r.url)?.[1] ?? '?').join(',');
}

const answers: Record<string, { findings: string[]; rulesNotEvaluated: string[] }> = {};
const engine = await loadEngine();
const rows: Row[] = [];
for (const s of SCENARIOS.filter((x) => !process.env.BENCH_AUDIT_ONLY || x.label === process.env.BENCH_AUDIT_ONLY)) {
  // Sequential on purpose: one emulator at a time, memory measured alone.
  process.stderr.write(`audit bench: ${s.label}…\n`);
  rows.push(await measure(engine, s));
}
const lines = [
  '## integration user audit (rule engine)',
  '',
  'Rule engine in-process, emulator in a child process with the injected latency shown. Requests counted',
  'client-side: composite requests (each carrying up to 5 queries\' first pages), GETs of further pages, and other',
  'requests (the PermissionSet describe, when the org lacks permission fields). Memory = this process (peak RSS and',
  'heap sampled every 5 ms). LoginHistory is read aggregated per user (COUNT, MAX(LoginTime) GROUP BY), so its',
  'volume costs no pages.',
  '',
  '| Org | Latency | LoginHistory rows | Examined | Findings | HTTP requests | composite | pages | other | Wall time | Peak RSS | Peak heap | Budget |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${r.latencyMs} ms | ${r.loginRows} | ${r.examined} | ${r.findings} | ${r.requests} | ${r.requests - r.pageRequests - r.otherRequests} | ${r.pageRequests} | ${r.otherRequests} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.peakRssMb} MB | ${r.peakHeapMb} MB | ${r.budget} |`
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (process.env.BENCH_AUDIT_FINDINGS) writeFileSync(process.env.BENCH_AUDIT_FINDINGS, `${JSON.stringify(answers, null, 1)}\n`);
