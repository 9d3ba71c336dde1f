/**
 * End-to-end harness: the org emulator in-process, a throwaway HOME with the real `sf` logged in to it
 * (alias `emu`), and runners for `bin/run.js` and `node_modules/.bin/sf` (never through a shell).
 * See docs/sf-cli-environment.md for the environment and the login.
 *
 * No token ever appears in what this module returns or throws: every captured output is redacted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SF_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'sf');
const RUN_JS = join(REPO_ROOT, 'bin', 'run.js');
const DEFAULT_TIMEOUT_MS = 60_000;

export type CliResult = {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Parsed stdout when the command ran with --json (undefined if it wasn't JSON). */
  json: unknown;
  /** True when the run was killed after the timeout. */
  timedOut: boolean;
};

export type RunOptions = { input?: string; cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv };

export type E2E = {
  emu: Emulator;
  home: string;
  env: NodeJS.ProcessEnv;
  alias: 'emu';
  /** `node bin/run.js <args>` (the compiled plugin; build first). */
  run(args: string[], opts?: RunOptions): Promise<CliResult>;
  /** `node_modules/.bin/sf <args>` (the real CLI). */
  sf(args: string[], opts?: RunOptions): Promise<CliResult>;
  /** Kills any child still running, stops the emulator and removes HOME. */
  close(): Promise<void>;
};

export type E2EOptions = EmulatorOptions & {
  /** `sf plugins link <repo> --no-install` after login (needs a build); only for tests that go through `sf`. */
  link?: boolean;
};

/** The Node 22 bin folder: this process's own node when it is 22+, else the project's Node 22 cache. */
function node22BinDir(): string {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return dirname(process.execPath);
  return join(process.env.HOME ?? '', '.cache', 'node22', 'node_modules', '.bin');
}

/** The environment of every CLI call (docs/sf-cli-environment.md §1), without any SF_/SFDX_ setting of the parent. */
export function cliEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(SF|SFDX)_/i.test(key) || /^XDG_/.test(key) || /^TESTKIT_/.test(key)) continue;
    env[key] = value;
  }
  const binDir = node22BinDir();
  return {
    ...env,
    PATH: [binDir, process.env.PATH ?? ''].filter(Boolean).join(delimiter),
    HOME: home,
    USERPROFILE: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_LOG_FILE: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    SF_HIDE_RELEASE_NOTES_FOOTER: 'true',
    NODE_NO_WARNINGS: '1',
  };
}

/** Replaces every occurrence of the given secrets with `<redacted>`. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('<redacted>');
  }
  return out;
}

/** A short, redacted description of a CLI result, for assertion messages. */
export function describeResult(result: CliResult): string {
  return `exit ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}\n--- stdout\n${result.stdout.slice(0, 4000)}\n--- stderr\n${result.stderr.slice(0, 4000)}`;
}

type Spawner = {
  children: Set<ChildProcess>;
  exec(command: string, args: string[], env: NodeJS.ProcessEnv, secrets: ReadonlyArray<string | undefined>, opts?: RunOptions): Promise<CliResult>;
};

function spawner(): Spawner {
  const children = new Set<ChildProcess>();
  return {
    children,
    exec(command, args, env, secrets, opts = {}) {
      return new Promise((resolvePromise, reject) => {
        const child = spawn(command, args, {
          cwd: opts.cwd ?? REPO_ROOT,
          env: { ...env, ...opts.env },
          stdio: ['pipe', 'pipe', 'pipe'],
          shell: false,
        });
        children.add(child);
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        child.on('error', (e) => {
          clearTimeout(timer);
          children.delete(child);
          reject(new Error(redact(e.message, secrets)));
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          children.delete(child);
          const out = redact(stdout, secrets);
          const err = redact(stderr, secrets);
          let json: unknown;
          if (args.includes('--json')) {
            try {
              json = JSON.parse(out) as unknown;
            } catch {
              json = undefined;
            }
          }
          resolvePromise({ exitCode: code ?? (signal ? 128 : 1), stdout: out, stderr: err, json, timedOut });
        });
        child.stdin.end(opts.input ?? '');
      });
    },
  };
}

/**
 * Starts the emulator, creates a throwaway HOME, logs the real sf in (alias `emu`, default org) and,
 * with `link`, links this plugin into that sf.
 */
export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const { link = false, ...emulatorOptions } = options;
  return attachE2E(await startEmulator(emulatorOptions), { link });
}

/** Like startE2E, for an emulator already started (closed by `close()`). */
export async function attachE2E(emu: Emulator, { link = false }: { link?: boolean } = {}): Promise<E2E> {
  const home = await mkdtemp(join(tmpdir(), 'iu-e2e-'));
  const env = cliEnv(home);
  const processes = spawner();
  const { children } = processes;
  const exec: Spawner['exec'] = (...args) => processes.exec(...args);
  const secrets = (): string[] => [emu.accessToken];

  const sf = (args: string[], opts?: RunOptions): Promise<CliResult> => exec(SF_BIN, args, env, secrets(), opts);
  const run = (args: string[], opts?: RunOptions): Promise<CliResult> =>
    exec(process.execPath, [RUN_JS, ...args], env, secrets(), opts);

  const close = async (): Promise<void> => {
    for (const child of children) {
      if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
    }
    children.clear();
    await emu.close();
    await rm(home, { recursive: true, force: true });
  };

  try {
    const login = await sf(
      ['org', 'login', 'access-token', '--instance-url', emu.instanceUrl, '--no-prompt', '--alias', 'emu', '--set-default', '--json'],
      { env: { SF_ACCESS_TOKEN: emu.accessToken } }
    );
    if (login.exitCode !== 0) throw new Error(`sf org login access-token failed: ${describeResult(login)}`);
    if (link) {
      const linked = await sf(['plugins', 'link', REPO_ROOT, '--no-install']);
      if (linked.exitCode !== 0) throw new Error(`sf plugins link failed: ${describeResult(linked)}`);
    }
  } catch (e) {
    await close();
    throw e;
  }

  return { emu, home, env, alias: 'emu', run, sf, close };
}

/** Clears the emulator's request log (call right before the command whose requests you count); returns the mark 0. */
export function markRequests(emu: Emulator): number {
  emu.resetRequestLog();
  return 0;
}

/** The requests the emulator logged after `mark` (a past `emu.requests.length`, or 0 after `markRequests`). */
export function requestsSince(emu: Emulator, mark = 0): Emulator['requests'] {
  return emu.requests.slice(mark);
}

/** Resets the request log, runs `fn`, and returns its result with the number of HTTP requests it caused. */
export async function countRequests<T>(emu: Emulator, fn: () => Promise<T>): Promise<{ result: T; requests: number }> {
  emu.resetRequestLog();
  const result = await fn();
  return { result, requests: emu.requests.length };
}
