/**
 * `node --import tsx scripts/bench-startup.ts` (part of `npm run bench`; build first): start-up cost of a
 * command of this plugin as users run it. The packed plugin is installed as a user plugin
 * (scripts/benchInstalled.ts); `sf integration user list -o emu --json` is timed against the built-in
 * `sf org list users -o emu --json` (plugin-user, a core plugin of sf) with the same plugins installed, both
 * against the org emulator's default seed (no injected latency, loopback). Two more baselines:
 * - the same plugin-user (node_modules/@salesforce/plugin-user, same version) packed and installed as a
 *   user plugin the same way ours is: what any user-installed plugin pays, whoever wrote it;
 * - our command through a linked plugin (`sf plugins link`).
 * Runs are interleaved (one of each in turn, after one warm-up each); medians of BENCH_STARTUP_RUNS runs
 * (default 10). Ratios are medians of the per-round ratios (each run against the built-in's run of the
 * same round), so a load change on the shared machine between rounds cancels out. CPU time and peak RSS
 * come from `/usr/bin/time` where it exists; the time to the first request from the emulator's log.
 * One more run of each variant counts the modules it loads (a `module.registerHooks` resolve hook through
 * `NODE_OPTIONS=--import`), which does not depend on the machine's load.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeResult, redact, REPO_ROOT } from '../test/e2e/harness.js';
import { installPackedPlugin, installUserPlugins, SF_BIN, startInstalled } from './benchInstalled.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 10);
const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);

/** `base`: the index of the variant this one's ratios are taken against. */
type Variant = { label: string; installed: string; args: string[]; env: NodeJS.ProcessEnv; base: number; http: boolean };
type Sample = { wallMs: number; rssKb?: number; cpuMs?: number; firstRequestMs?: number; requests: number };

const plugin = await installPackedPlugin();
// plugin-user as a user plugin (overrides the core one of the same version) beside ours, in its own data folder.
const baseline = await installUserPlugins([REPO_ROOT, join(REPO_ROOT, 'node_modules', '@salesforce', 'plugin-user')]);
const session = await startInstalled({ seed: 'default', link: true });
const secrets = [session.emu.accessToken];

function runOnce(variant: Variant, extraEnv: NodeJS.ProcessEnv = {}): Promise<Sample> {
  const [command, args] = hasGnuTime
    ? [GNU_TIME, ['-f', 'maxrss_kb=%M cpu_s=%U+%S', SF_BIN, ...variant.args]]
    : [SF_BIN, variant.args];
  session.emu.resetRequestLog();
  return new Promise((resolvePromise, reject) => {
    const spawnedAt = Date.now();
    const started = performance.now();
    const child = spawn(command, args, { cwd: session.home, env: { ...variant.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(
          new Error(
            `${variant.label} failed: ${describeResult({ exitCode: code ?? 1, stdout: redact(stdout, secrets), stderr: redact(stderr, secrets), json: undefined, timedOut: false })}`
          )
        );
        return;
      }
      const rss = /maxrss_kb=(\d+) cpu_s=([\d.]+)\+([\d.]+)/.exec(stderr);
      const requests = session.emu.requests.filter((r) => r.path.startsWith('/services/'));
      resolvePromise({
        wallMs,
        rssKb: rss ? Number(rss[1]) : undefined,
        cpuMs: rss ? (Number(rss[2]) + Number(rss[3])) * 1000 : undefined,
        firstRequestMs: requests.length ? Date.parse(requests[0].startedAt) - spawnedAt : undefined,
        requests: requests.length,
      });
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const defined = (values: Array<number | undefined>): number[] => values.filter((x): x is number => x !== undefined);

/** Module URLs one run resolves (first resolution of each), by where they come from. */
async function countModules(variant: Variant): Promise<{ total: number; userInstall: number }> {
  const hook = join(session.home, 'count-modules.mjs');
  const out = join(session.home, 'modules.txt');
  await writeFile(
    hook,
    [
      "import { registerHooks } from 'node:module';",
      "import { writeFileSync } from 'node:fs';",
      'const seen = new Set();',
      'registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url); return r; } });',
      `process.on('exit', () => writeFileSync(${JSON.stringify(out)}, [...seen].join('\\n')));`,
    ].join('\n')
  );
  await runOnce(variant, { NODE_OPTIONS: `--import ${new URL(`file://${hook}`).href}` });
  const urls = (await readFile(out, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
  const userInstall = urls.filter((u) => u.includes('/.local/share/sf/') || u.includes('/iu-installed-')).length;
  return { total: urls.length, userInstall };
}

try {
  const A = session.installedEnv;
  const B = { ...session.env, SF_DATA_DIR: baseline.dataDir };
  const list = ['-o', 'emu', '--json'];
  const variants: Variant[] = [
    { label: '`sf org list users`', installed: 'core plugin of sf (built-in)', args: ['org', 'list', 'users', ...list], env: A, base: 0, http: true },
    { label: '`sf integration user list`', installed: 'user plugin (packed, installed)', args: ['integration', 'user', 'list', ...list], env: A, base: 0, http: true },
    { label: '`sf org list users`', installed: 'user plugin (plugin-user packed, installed)', args: ['org', 'list', 'users', ...list], env: B, base: 0, http: true },
    { label: '`sf integration user list`', installed: 'linked (`sf plugins link`)', args: ['integration', 'user', 'list', ...list], env: session.env, base: 0, http: true },
    // Loading only (no login file, no HTTP).
    { label: '`sf org list users --help`', installed: 'core plugin of sf (built-in)', args: ['org', 'list', 'users', '--help'], env: A, base: 4, http: false },
    { label: '`sf integration user list --help`', installed: 'user plugin (packed, installed)', args: ['integration', 'user', 'list', '--help'], env: A, base: 4, http: false },
    { label: '`sf org list users --help`', installed: 'user plugin (plugin-user packed, installed)', args: ['org', 'list', 'users', '--help'], env: B, base: 4, http: false },
  ];
  const modules: Array<{ total: number; userInstall: number }> = [];
  for (const v of variants) modules.push(await countModules(v));
  for (const v of variants) await runOnce(v);
  const rounds: Sample[][] = [];
  for (let i = 0; i < RUNS; i++) {
    const round: Sample[] = [];
    for (const v of variants) round.push(await runOnce(v));
    rounds.push(round);
  }
  const stats = variants.map((v, j) => {
    const s = rounds.map((r) => r[j]);
    const ratio = (pick: (x: Sample) => number | undefined): number | undefined => {
      const values = defined(rounds.map((r) => {
        const mine = pick(r[j]);
        const theirs = pick(r[v.base]);
        return mine === undefined || theirs === undefined ? undefined : mine / theirs;
      }));
      return values.length ? median(values) : undefined;
    };
    const cpu = defined(s.map((x) => x.cpuMs));
    const rss = defined(s.map((x) => x.rssKb));
    const first = defined(s.map((x) => x.firstRequestMs));
    return {
      ...v,
      modules: modules[j],
      wallMs: median(s.map((x) => x.wallMs)),
      wallRatio: ratio((x) => x.wallMs),
      cpuMs: cpu.length ? median(cpu) : undefined,
      cpuRatio: ratio((x) => x.cpuMs),
      firstMs: first.length ? median(first) : undefined,
      firstRatio: ratio((x) => x.firstRequestMs),
      requests: median(s.map((x) => x.requests)),
      rssMb: rss.length ? median(rss) / 1024 : undefined,
    };
  });
  const fmt = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
  const x = (r: number | undefined): string => (r === undefined ? '—' : `${r.toFixed(2)}×`);
  const [core, ours, theirs, , coreHelp, oursHelp, theirsHelp] = stats;
  const lines = [
    '## Start-up: the plugin as users run it',
    '',
    "`node --import tsx scripts/bench-startup.ts`: the packed plugin (`npm pack`) installed as a user plugin (`sf plugins install file:<tgz>`,",
    "throwaway HOME, this repository's `node_modules/.bin/sf`), against the org emulator's default seed on loopback, no",
    "injected latency, beside the built-in `sf org list users` (plugin-user, a core plugin of sf) and the very same",
    'plugin-user packed and installed as a user plugin the way ours is. Interleaved runs after one warm-up each; medians',
    `of ${RUNS} runs (whole process: Node start-up, oclif, login file, HTTP). Ratio = median of the per-round ratios to the`,
    "built-in command's run of the same round (`--help` rows: to the built-in `--help`). First request = from the spawn to the",
    "first request the emulator logged (start-up without the command's own work). CPU time (user + system) and peak RSS:",
    `${hasGnuTime ? '`/usr/bin/time`' : 'not measured (no /usr/bin/time)'}; CPU time depends less than wall time on how loaded the machine is. Modules = module files`,
    'one run resolves (a `module.registerHooks` hook), of which from a user install: counted, not timed, so load-independent.',
    `Install (pack + \`sf plugins install\`, npm cache warm or cold): ${fmt(plugin.installMs)} (the plugin-user baseline: ${fmt(baseline.installMs)}).`,
    '',
    '| Command | How it is installed | Modules (from a user install) | Requests | First request | Ratio | Median wall time | Ratio | CPU time | CPU ratio | Peak RSS |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...stats.map(
      (s) =>
        `| ${s.label} | ${s.installed} | ${s.modules.total} (${s.modules.userInstall}) | ${s.http ? s.requests : '—'} | ${s.http ? fmt(s.firstMs) : '—'} | ${s.http ? x(s.firstRatio) : '—'} | ` +
        `${fmt(s.wallMs)} | ${x(s.wallRatio)} | ${fmt(s.cpuMs)} | ${x(s.cpuRatio)} | ${s.rssMb === undefined ? '—' : `${s.rssMb.toFixed(0)} MB`} |`
    ),
    '',
    `Installed plugin ÷ built-in: ${x(ours.cpuRatio)} CPU, ${x(ours.wallRatio)} wall (\`--help\`: ${x(oursHelp.cpuRatio)} CPU). ` +
      `plugin-user installed the same way ÷ built-in: ${x(theirs.cpuRatio)} CPU, ${x(theirs.wallRatio)} wall (\`--help\`: ${x(theirsHelp.cpuRatio)} CPU). ` +
      `Modules: built-in ${core.modules.total}, ours installed ${ours.modules.total}, plugin-user installed ${theirs.modules.total} ` +
      `(\`--help\`: ${coreHelp.modules.total}, ${oursHelp.modules.total}, ${theirsHelp.modules.total}).`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await session.close();
}
