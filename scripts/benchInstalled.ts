/**
 * The plugin as users run it, for benchmarks: `npm pack` of the built plugin, installed as a *user* plugin
 * (`sf plugins install file:<tgz>`) into a throwaway HOME for this repository's own `node_modules/.bin/sf`.
 *
 * Why not `sf plugins link`: a linked plugin makes oclif load TypeScript support and source maps on every
 * command (slower start-up, more memory); an installed plugin is plain compiled JavaScript, as a user gets
 * it. Take benchmark wall times from here (docs/sf-cli-environment.md §5).
 *
 * The install runs once per process (npm fetches the plugin's dependencies from the registry into npm's
 * cache: the caller's `npm_config_cache`, which npm/npx set for scripts, else `tmp/npm-cache`; later runs are quick). Each session then gets its own HOME with sf logged
 * in to the org emulator (test/e2e/harness.ts) and points sf's data folder (`SF_DATA_DIR`, where oclif
 * keeps user plugins) at the installed plugin. Loopback only: the emulator listens on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachE2E, cliEnv, describeResult, REPO_ROOT, type CliResult, type E2E, type RunOptions } from '../test/e2e/harness.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../test/emulator/index.js';

export const SF_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'sf');
const INSTALL_TIMEOUT_MS = 10 * 60_000;

export type InstalledPlugin = {
  /** The packed tarball (`npm pack`). */
  tarball: string;
  /** The HOME the plugin was installed in (throwaway; removed when the process exits). */
  installHome: string;
  /** sf's data folder holding the installed plugin: pass it as `SF_DATA_DIR`. */
  dataDir: string;
  /** Wall time of `npm pack` + `sf plugins install`, for the record. */
  installMs: number;
};

export type InstalledSession = E2E & {
  /** sf's environment for this session with the installed plugin (HOME logged in to the emulator). */
  installedEnv: NodeJS.ProcessEnv;
  /** `sf integration user <args>` through the installed plugin. */
  integrationUser(args: string[], opts?: RunOptions): Promise<CliResult>;
  /** Any `sf <args>` with the installed plugin present (built-in commands included). */
  sfInstalled(args: string[], opts?: RunOptions): Promise<CliResult>;
};

type Exec = { exitCode: number; stdout: string; stderr: string };

function exec(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Exec> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), INSTALL_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code ?? 1, stdout, stderr });
    });
  });
}

let installing: Promise<InstalledPlugin> | undefined;

/**
 * Set by `npm run bench` (scripts/bench.ts) for the scripts it runs: the JSON of an InstalledPlugin it
 * installed once, so each script does not pack and install again.
 */
export const INSTALLED_ENV = 'BENCH_INSTALLED_PLUGIN';

/**
 * Packs the built plugin and installs it as a user plugin in a throwaway HOME (once per process; reused
 * from the parent when `BENCH_INSTALLED_PLUGIN` names an install that is still there).
 */
export function installPackedPlugin(): Promise<InstalledPlugin> {
  installing ??= (async () => {
    const inherited = process.env[INSTALLED_ENV];
    if (inherited) {
      const plugin = JSON.parse(inherited) as InstalledPlugin;
      if (existsSync(join(plugin.dataDir, 'node_modules', 'plugin-integration-user', 'package.json'))) return plugin;
    }
    for (const built of [join('lib', 'commands', 'integration', 'user', 'list.js'), 'oclif.manifest.json']) {
      if (!existsSync(join(REPO_ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
    }
    return installUserPlugins([REPO_ROOT]);
  })();
  return installing;
}

/**
 * Packs each package directory (`npm pack`) and installs the tarballs, in order, as user plugins of sf in
 * one throwaway HOME. A package that is also one of sf's core plugins (e.g. `node_modules/@salesforce/plugin-user`)
 * then runs from the user install, as `sf plugins install` of a core plugin does: the same code, installed
 * the way a user installs a plugin (the fair baseline for start-up). The result names the first package.
 */
export async function installUserPlugins(packageDirs: readonly string[]): Promise<InstalledPlugin> {
  const started = performance.now();
  const installHome = await mkdtemp(join(tmpdir(), 'iu-installed-'));
  process.on('exit', () => rmSync(installHome, { recursive: true, force: true }));
  const npmCache = process.env.npm_config_cache ?? join(REPO_ROOT, 'tmp', 'npm-cache');
  await mkdir(npmCache, { recursive: true });
  const env = { ...cliEnv(installHome), npm_config_cache: npmCache, npm_config_update_notifier: 'false' };

  const urls: string[] = [];
  const names: string[] = [];
  for (const [i, dir] of packageDirs.entries()) {
    const packDir = join(installHome, `pack-${i}`);
    await mkdir(packDir);
    const pack = await exec('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], env, dir);
    const packed = (await readdir(packDir)).filter((f) => f.endsWith('.tgz'));
    if (pack.exitCode !== 0 || packed.length !== 1) {
      throw new Error(`npm pack of ${dir} failed (exit ${pack.exitCode}): ${pack.stderr.slice(0, 2000)}`);
    }
    urls.push(`file:${join(packDir, packed[0])}`);
    names.push((JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string }).name);
  }

  // Unsigned tarballs: allow-list them (sf's plugin-trust file) instead of answering a prompt.
  const configDir = join(installHome, '.config', 'sf');
  await mkdir(configDir, { recursive: true });
  await writeFile(join(configDir, 'unsignedPluginAllowList.json'), JSON.stringify(urls));

  for (const url of urls) {
    const install = await exec(SF_BIN, ['plugins', 'install', url], env, installHome);
    if (install.exitCode !== 0) {
      throw new Error(`sf plugins install ${url} failed (exit ${install.exitCode}):\n${install.stdout.slice(-2000)}\n${install.stderr.slice(-2000)}`);
    }
  }
  const dataDir = join(installHome, '.local', 'share', 'sf');
  const listed = await exec(SF_BIN, ['plugins', '--json'], { ...env, SF_DATA_DIR: dataDir }, installHome);
  const plugins = JSON.parse(listed.stdout || '[]') as Array<{ name?: string; type?: string }>;
  for (const name of names) {
    if (!plugins.some((p) => p.name === name && p.type === 'user')) {
      throw new Error(`sf plugins does not list ${name} as a user plugin after the install:\n${listed.stdout.slice(0, 2000)}`);
    }
  }
  return { tarball: urls[0].slice('file:'.length), installHome, dataDir, installMs: performance.now() - started };
}

/** Adds the installed plugin's runners to an E2E session (same HOME, same login). */
export function withInstalled(e2e: E2E, plugin: InstalledPlugin): InstalledSession {
  const installedEnv = { ...e2e.env, SF_DATA_DIR: plugin.dataDir };
  // Run from the session's HOME (as a user would, outside this repository) unless told otherwise.
  const sfInstalled = (args: string[], opts: RunOptions = {}): Promise<CliResult> =>
    e2e.sf(args, { cwd: e2e.home, ...opts, env: { ...opts.env, SF_DATA_DIR: plugin.dataDir } });
  return {
    ...e2e,
    installedEnv,
    sfInstalled,
    integrationUser: (args, opts) => sfInstalled(['integration', 'user', ...args], opts),
  };
}

/**
 * Starts the org emulator, logs the real sf in (alias `emu`) in a fresh HOME and returns runners for the
 * installed plugin. `link: true` also links the repository into that HOME's own data folder, so
 * `session.sf([...])` runs the linked plugin while `session.integrationUser([...])` runs the installed one.
 */
export async function startInstalled(options: EmulatorOptions & { link?: boolean } = {}): Promise<InstalledSession> {
  const { link = false, ...emulatorOptions } = options;
  const plugin = await installPackedPlugin();
  const emu: Emulator = await startEmulator(emulatorOptions);
  const e2e = await attachE2E(emu, { link });
  const session = withInstalled(e2e, plugin);
  const check = await session.integrationUser(['list', '--help']);
  if (check.exitCode !== 0) {
    await session.close();
    throw new Error(`the installed plugin does not answer: ${describeResult(check)}`);
  }
  return session;
}
