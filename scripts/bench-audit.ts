/**
 * `node --import tsx scripts/bench-audit.ts`: runs the audit rule engine in this process against the org
 * emulator started in a child process (`npm run emulator -- --seed scale:N --latency-ms 50`, so the
 * emulator's memory is not counted) for 1,000 and 10,000 users, and prints a Markdown table of HTTP
 * requests, wall time and this process's peak RSS / heap during the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { connectTo } from '../test/helpers/connection.js';
import type { OrgConnection } from '../src/shared/api.js';
import { runAuditRules } from '../src/shared/audit/engine.js';

const LATENCY_MS = 50;
type Row = { users: number; examined: number; findings: number; requests: number; pageRequests: number; wallMs: number; peakRssMb: number; peakHeapMb: number; baseRssMb: number };

async function startChildEmulator(scale: number): Promise<{ child: ChildProcess; instanceUrl: string; accessToken: string; username: string }> {
  // The emulator's own process (not through npm, whose shell would outlive a kill): its memory isn't ours.
  const cli = fileURLToPath(new URL('../test/emulator/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--seed', `scale:${scale}`, '--latency-ms', String(LATENCY_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    const info = JSON.parse(trimmed) as { instanceUrl: string; accessToken: string; username?: string };
    return { child, instanceUrl: info.instanceUrl, accessToken: info.accessToken, username: info.username ?? 'admin@acme.example.com' };
  }
  throw new Error('the emulator printed no JSON line');
}

async function measure(scale: number): Promise<Row> {
  const emu = await startChildEmulator(scale);
  try {
    const conn = await connectTo({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken });
    let requests = 0;
    let pageRequests = 0;
    const org: OrgConnection = {
      request: (...args: Parameters<OrgConnection['request']>) => {
        requests++;
        // A GET is a query's next page (nextRecordsUrl); every first page comes in a composite POST.
        const [req] = args;
        if (typeof req === 'object' && req.method === 'GET') pageRequests++;
        return conn.request(...args);
      },
      getApiVersion: () => conn.getApiVersion(),
      getUsername: () => emu.username,
    };
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 5);
    const started = performance.now();
    const run = await runAuditRules(org, { dormantDays: 90, seatThresholdPercent: 80 });
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    const mb = (n: number): number => Math.round(n / 1024 / 1024);
    return { users: scale, examined: run.usersExamined, findings: run.findings.length, requests, pageRequests, wallMs, peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap), baseRssMb: mb(baseRss) };
  } finally {
    emu.child.kill('SIGTERM');
  }
}

const rows: Row[] = [];
for (const scale of [1000, 10_000]) {
  // Sequential on purpose: one emulator at a time, memory measured alone.
  rows.push(await measure(scale));
}
const lines = [
  '## integration user audit (rule engine)',
  '',
  `Rule engine in-process, emulator in a child process with ${LATENCY_MS} ms injected latency per request.`,
  'Requests counted client-side: composite requests (each carrying up to 5 queries\' first pages; budget 12) plus',
  'one GET per extra page of a query. Memory = this process (RSS before the run, peak RSS and peak heap sampled every 5 ms).',
  '',
  '| Users | Examined | Findings | HTTP requests | of which composite (≤ 12) | of which extra pages | Wall time | RSS before | Peak RSS | Peak heap |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.users} | ${r.examined} | ${r.findings} | ${r.requests} | ${r.requests - r.pageRequests} | ${r.pageRequests} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.baseRssMb} MB | ${r.peakRssMb} MB | ${r.peakHeapMb} MB |`
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
