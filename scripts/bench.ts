/**
 * `npm run bench`: every benchmark script, one after the other (each counts HTTP requests against the org
 * emulator and prints a Markdown section). `npm run bench -- --write` also rewrites BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackedPlugin, INSTALLED_ENV } from './benchInstalled.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scripts = ['bench-list.ts', 'bench-create-assign.ts', 'bench-audit.ts', 'bench-startup.ts', 'bench-spec.ts'];

// Pack and install the plugin once (a user plugin in a throwaway HOME); every script times it from there.
process.stderr.write('packing and installing the plugin as a user plugin…\n');
const installed = await installPackedPlugin();
const env = { ...process.env, [INSTALLED_ENV]: JSON.stringify(installed) };

const sections: string[] = [];
for (const script of scripts) {
  process.stderr.write(`running scripts/${script}…\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', script)], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) {
    process.stderr.write(`scripts/${script} failed with exit code ${String(run.status)}\n`);
    process.exit(1);
  }
  process.stdout.write(run.stdout);
  sections.push(run.stdout.trim());
}

if (process.argv.includes('--write')) {
  const header = [
    '# Benchmarks',
    '',
    'Round trips are the cost of a command against a real org, so every budget below is a count of HTTP',
    'requests, measured against the org emulator (`test/emulator/`) by `npm run bench` — never a timed test.',
    'Wall times depend on the machine and on the injected latency stated in each table; request counts do not.',
    'Wall times are to be taken from the plugin as users run it: packed and installed as a user plugin',
    '(`scripts/benchInstalled.ts`), not linked; "Start-up" below gives its ratio to a built-in sf command.',
    `Regenerate with \`npm run bench -- --write\` (last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, 2 cores).`,
    '',
  ].join('\n');
  writeFileSync(join(root, 'BENCHMARKS.md'), `${header}\n${sections.join('\n\n')}\n`);
  process.stderr.write('BENCHMARKS.md written\n');
}
