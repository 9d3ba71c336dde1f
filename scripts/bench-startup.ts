/**
 * `node --import tsx scripts/bench-startup.ts` (part of `npm run bench`; build first): start-up cost of a
 * command of this plugin as users run it. The packed plugin is installed as a user plugin
 * (scripts/benchInstalled.ts); `sf integration user list -o emu --json` is timed against the built-in
 * `sf org list users -o emu --json` of the same sf with the same plugins installed, both against the org
 * emulator's default seed (no injected latency, loopback). The same command through a linked plugin
 * (`sf plugins link`) is shown for comparison. Runs are interleaved (one of each in turn), after one
 * warm-up each; medians of RUNS runs. Peak RSS comes from `/usr/bin/time -f %M` where it exists.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describeResult, redact } from '../test/e2e/harness.js';
import { installPackedPlugin, SF_BIN, startInstalled } from './benchInstalled.js';

const RUNS = 5;
const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);

/** `base`: the index of the variant this one's ratios are taken against. */
type Variant = { label: string; args: string[]; env: NodeJS.ProcessEnv; base: number };
type Sample = { wallMs: number; rssKb?: number; cpuMs?: number };

function timeOnce(variant: Variant, secrets: string[]): Promise<Sample> {
  const [command, args] = hasGnuTime
    ? [GNU_TIME, ['-f', 'maxrss_kb=%M cpu_s=%U+%S', SF_BIN, ...variant.args]]
    : [SF_BIN, variant.args];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: variant.env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
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
      resolvePromise({
        wallMs,
        rssKb: rss ? Number(rss[1]) : undefined,
        cpuMs: rss ? (Number(rss[2]) + Number(rss[3])) * 1000 : undefined,
      });
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const plugin = await installPackedPlugin();
const session = await startInstalled({ seed: 'default', link: true });
try {
  const variants: Variant[] = [
    { label: '`sf org list users` (built-in)', args: ['org', 'list', 'users', '-o', 'emu', '--json'], env: session.installedEnv, base: 0 },
    { label: '`sf integration user list` (installed plugin)', args: ['integration', 'user', 'list', '-o', 'emu', '--json'], env: session.installedEnv, base: 0 },
    { label: '`sf integration user list` (linked plugin)', args: ['integration', 'user', 'list', '-o', 'emu', '--json'], env: session.env, base: 0 },
    // Loading only (no org call, no login file): where the difference comes from.
    { label: '`sf org list users --help` (built-in)', args: ['org', 'list', 'users', '--help'], env: session.installedEnv, base: 3 },
    { label: '`sf integration user list --help` (installed plugin)', args: ['integration', 'user', 'list', '--help'], env: session.installedEnv, base: 3 },
  ];
  const secrets = [session.emu.accessToken];
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.label, []]));
  for (const v of variants) await timeOnce(v, secrets);
  for (let i = 0; i < RUNS; i++) {
    for (const v of variants) samples.get(v.label)?.push(await timeOnce(v, secrets));
  }
  const stats = variants.map((v) => {
    const s = samples.get(v.label) ?? [];
    const rss = s.map((x) => x.rssKb).filter((x): x is number => x !== undefined);
    const cpu = s.map((x) => x.cpuMs).filter((x): x is number => x !== undefined);
    return {
      label: v.label,
      base: v.base,
      wallMs: median(s.map((x) => x.wallMs)),
      minMs: Math.min(...s.map((x) => x.wallMs)),
      cpuMs: cpu.length ? median(cpu) : undefined,
      rssMb: rss.length ? median(rss) / 1024 : undefined,
    };
  });
  const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    '## Start-up: the plugin as users run it',
    '',
    `The packed plugin (\`npm pack\`) installed as a user plugin (\`sf plugins install file:<tgz>\`, throwaway HOME, this`,
    "repository's `node_modules/.bin/sf`), against the org emulator's default seed on loopback, no injected latency.",
    `Interleaved runs after one warm-up each; median of ${RUNS} runs (whole process: Node start-up, oclif, login`,
    'file, HTTP). Ratio = median ÷ the built-in command\'s; the `--help` rows (no login file, no HTTP) isolate',
    'loading and are divided by the built-in `--help`. The linked plugin (`sf plugins link`) loads TypeScript',
    'support and source maps on every command: wall times elsewhere in this file are to be taken from the',
    `installed plugin, not from a linked one or \`bin/run.js\`. CPU time (user + system) and peak RSS of the sf`,
    `process: ${hasGnuTime ? '`/usr/bin/time`, medians; CPU time depends less than wall time on how loaded the machine is' : 'not measured (no /usr/bin/time)'}.`,
    `Install (pack + \`sf plugins install\`, npm cache warm or cold): ${fmt(plugin.installMs)}.`,
    '',
    '| Command | Median wall time | Fastest | Ratio to built-in | CPU time | CPU ratio | Peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...stats.map(
      (s) => {
        const builtIn = stats[s.base];
        return (
          `| ${s.label} | ${fmt(s.wallMs)} | ${fmt(s.minMs)} | ${(s.wallMs / builtIn.wallMs).toFixed(2)}× | ` +
        `${s.cpuMs === undefined ? '—' : fmt(s.cpuMs)} | ${s.cpuMs === undefined || builtIn.cpuMs === undefined ? '—' : `${(s.cpuMs / builtIn.cpuMs).toFixed(2)}×`} | ` +
          `${s.rssMb === undefined ? '—' : `${s.rssMb.toFixed(0)} MB`} |`
        );
      }
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await session.close();
}
