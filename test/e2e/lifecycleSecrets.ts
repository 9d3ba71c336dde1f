/** Security checks for the lifecycle and credentials e2e tests: no secret the emulator holds shows up anywhere. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { CliResult, E2E } from './harness.js';

/** Every consumer secret (primary and staged) the emulator holds now, plus extra secrets (passwords read from files). */
export function emulatorSecrets(e2e: E2E, extra: string[] = []): string[] {
  const secrets = [...extra];
  for (const consumers of e2e.emu.lifecycle.consumers.values()) {
    for (const c of consumers) {
      secrets.push(c.primary.secret);
      if (c.staged) secrets.push(c.staged.secret);
    }
  }
  for (const t of e2e.emu.db.records('OauthToken')) if (typeof t.DeleteToken === 'string') secrets.push(t.DeleteToken);
  return secrets.filter((s) => s.length >= 8);
}

async function filesUnder(dir: string, skip: (path: string) => boolean): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (skip(path)) continue;
    if (e.isDirectory()) out.push(...(await filesUnder(path, skip)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

/**
 * Asserts none of `secrets` is in the result's stdout, stderr or JSON, in any file under HOME/.sf and the
 * working directory `cwd`, except in the `allowed` files (the 0600 files the user asked for).
 */
export async function expectNoLeak(e2e: E2E, result: CliResult, secrets: string[], cwd: string, allowed: string[] = []): Promise<void> {
  const texts: Array<[string, string]> = [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
    ['json', JSON.stringify(result.json ?? null)],
  ];
  const files = [...(await filesUnder(join(e2e.home, '.sf'), () => false)), ...(await filesUnder(cwd, (p) => allowed.includes(p) || p.includes('node_modules')))];
  for (const file of files) {
    if ((await stat(file)).size < 5_000_000) texts.push([file, await readFile(file, 'utf8')]);
  }
  for (const secret of secrets) {
    for (const [where, text] of texts) expect(text.includes(secret), `a secret leaked into ${where}`).to.equal(false);
  }
}

export async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}
