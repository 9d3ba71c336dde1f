/** Writes generated files all-or-nothing: conflicts are checked first, content goes to temporary files, then renames. */
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Messages } from '@salesforce/core';
import type { EcaFile } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'eca');

/** Absolute paths of the files that already exist under outputDir. */
export async function existingFiles(outputDir: string, files: readonly EcaFile[]): Promise<string[]> {
  const paths = files.map((f) => join(outputDir, f.path));
  const exists = await Promise.all(paths.map((p) => lstat(p).then(() => true, () => false)));
  return paths.filter((_, i) => exists[i]);
}

/**
 * Writes every file under outputDir and returns their absolute paths. Without `force`, any existing file is
 * an error listing them all, and nothing is written. If any write fails, nothing new is left behind.
 */
export async function writeFiles(outputDir: string, files: readonly EcaFile[], options: { force: boolean }): Promise<string[]> {
  const existing = await existingFiles(outputDir, files);
  if (existing.length > 0 && !options.force) {
    throw messages.createError('error.FilesExist', [existing.map((p) => `\n  ${p}`).join('')]);
  }
  const targets = files.map((f) => join(outputDir, f.path));
  const temps = targets.map((p) => `${p}.${process.pid}.tmp`);
  const createdDirs: string[] = [];
  try {
    for (const dir of new Set(targets.map((p) => dirname(p)))) {
      // Sequential: the folders share parents, and the first folder each call creates must be known for cleanup.
      // eslint-disable-next-line no-await-in-loop
      const created = await mkdir(dir, { recursive: true });
      if (created) createdDirs.push(created);
    }
    await Promise.all(files.map((f, i) => writeFile(temps[i], f.xml, { encoding: 'utf8', flag: 'wx' })));
  } catch (e) {
    // Best-effort cleanup: a path that can't hold a file can't hold a leftover either.
    await Promise.allSettled(temps.map((t) => rm(t, { force: true })));
    await Promise.allSettled(createdDirs.map((d) => rm(d, { recursive: true, force: true })));
    const err = e as NodeJS.ErrnoException;
    throw messages.createError('error.OutputNotWritable', [outputDir, err.code ?? err.message]);
  }
  await Promise.all(temps.map((t, i) => rename(t, targets[i])));
  return targets;
}
