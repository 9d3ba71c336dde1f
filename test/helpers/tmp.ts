/**
 * Throwaway directories for tests, removed when the test run ends: `await tempDir('audit-out-')` instead of
 * `mkdtemp(join(tmpdir(), 'audit-out-'))`, so no test leaves a folder in os.tmpdir() behind — also when an
 * assertion fails halfway (the removal does not depend on the test's own cleanup running).
 *
 * Every directory made here is removed (recursively) by a root `after` hook when mocha runs the file, and at
 * the latest when the process exits. `removeTempDirs()` removes them earlier.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

/** A new empty directory `<os.tmpdir()>/<prefix>XXXXXX`, removed at the end of the run. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** tempDir, synchronously. */
export function tempDirSync(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Removes every directory made so far (already removed ones are fine). */
export async function removeTempDirs(): Promise<void> {
  const dirs = [...made];
  made.clear();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

// Loaded while mocha reads the spec files, this registers on the root suite: it runs once, after every file.
if (typeof after === 'function') after(removeTempDirs);

process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
