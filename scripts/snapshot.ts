/**
 * The command snapshot, as the official sf plugins keep it (`command-snapshot.json`, checked in CI): every
 * command's id, aliases, flags, flag aliases and flag characters, taken from the built `oclif.manifest.json`.
 * A flag, alias or character that disappears breaks users' scripts, so `test/e2e/commandSnapshot.test.ts` fails on
 * any difference and names removals as breaking; when a change is intended, regenerate the snapshot and the
 * result schemas with `npm run snapshot:update` (it builds the manifest first) and commit both.
 *
 *   node --import tsx scripts/snapshot.ts            compare; exit 1 on any difference
 *   node --import tsx scripts/snapshot.ts --update   write command-snapshot.json from the manifest
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SNAPSHOT_FILE = join(ROOT, 'command-snapshot.json');
export const MANIFEST_FILE = join(ROOT, 'oclif.manifest.json');

/** One command in the snapshot (the official `command-snapshot.json` shape). */
export type CommandSnapshot = {
  alias: string[];
  command: string;
  flagAliases: string[];
  flagChars: string[];
  flags: string[];
  plugin: string;
};

type ManifestFlag = { char?: string; aliases?: string[]; charAliases?: string[] };
type ManifestCommand = { id: string; aliases?: string[]; pluginName?: string; flags: Record<string, ManifestFlag> };
export type Manifest = { commands: Record<string, ManifestCommand> };

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** The snapshot of every command in a manifest, sorted by command id. */
export function commandSnapshot(manifest: Manifest): CommandSnapshot[] {
  return Object.values(manifest.commands)
    .map((command) => {
      const flags = Object.values(command.flags);
      return {
        alias: sorted(command.aliases ?? []),
        command: command.id,
        flagAliases: sorted(flags.flatMap((flag) => flag.aliases ?? [])),
        flagChars: sorted(flags.flatMap((flag) => [...(flag.char ? [flag.char] : []), ...(flag.charAliases ?? [])])),
        flags: sorted(Object.keys(command.flags)),
        plugin: command.pluginName ?? '',
      };
    })
    .sort((a, b) => a.command.localeCompare(b.command));
}

/** What changed from the committed snapshot to the current one: removals break users, additions do not. */
export type SnapshotDiff = { removed: string[]; added: string[] };

export function compareSnapshots(committed: readonly CommandSnapshot[], current: readonly CommandSnapshot[]): SnapshotDiff {
  const removed: string[] = [];
  const added: string[] = [];
  const byId = (list: readonly CommandSnapshot[]): Map<string, CommandSnapshot> => new Map(list.map((c) => [c.command, c]));
  const before = byId(committed);
  const after = byId(current);
  for (const id of before.keys()) if (!after.has(id)) removed.push(`command ${id}`);
  for (const id of after.keys()) if (!before.has(id)) added.push(`command ${id}`);
  const parts: Array<[keyof CommandSnapshot & ('alias' | 'flags' | 'flagAliases' | 'flagChars'), (v: string) => string]> = [
    ['alias', (v) => `alias ${v}`],
    ['flags', (v) => `flag --${v}`],
    ['flagAliases', (v) => `flag alias --${v}`],
    ['flagChars', (v) => `flag character -${v}`],
  ];
  for (const [id, old] of before) {
    const now = after.get(id);
    if (!now) continue;
    for (const [key, label] of parts) {
      for (const value of old[key]) if (!now[key].includes(value)) removed.push(`${label(value)} of ${id}`);
      for (const value of now[key]) if (!old[key].includes(value)) added.push(`${label(value)} of ${id}`);
    }
  }
  return { removed, added };
}

/** A readable account of a difference, or '' when there is none. */
export function describeSnapshotDiff({ removed, added }: SnapshotDiff): string {
  if (removed.length === 0 && added.length === 0) return '';
  const lines = [
    ...removed.map((r) => `  removed (breaks users' scripts; deprecate it instead, or accept it on purpose): ${r}`),
    ...added.map((a) => `  added: ${a}`),
  ];
  return `command-snapshot.json differs from oclif.manifest.json:\n${lines.join('\n')}\nIf the change is intended, run \`npm run snapshot:update\` and commit command-snapshot.json.`;
}

export function readManifest(file = MANIFEST_FILE): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

export function readSnapshot(file = SNAPSHOT_FILE): CommandSnapshot[] {
  return JSON.parse(readFileSync(file, 'utf8')) as CommandSnapshot[];
}

export function serializeSnapshot(snapshot: readonly CommandSnapshot[]): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/** The newest `src/**.ts` file and its modification time (the manifest must not be older). */
export function newestSource(dir = join(ROOT, 'src')): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const { mtimeMs } = statSync(file);
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const current = commandSnapshot(readManifest());
  if (process.argv.includes('--update')) {
    writeFileSync(SNAPSHOT_FILE, serializeSnapshot(current));
    process.stdout.write(`command-snapshot.json ← oclif.manifest.json (${current.length} commands)\n`);
  } else {
    const report = describeSnapshotDiff(compareSnapshots(readSnapshot(), current));
    process.stdout.write(report ? `${report}\n` : 'command-snapshot.json matches oclif.manifest.json\n');
    process.exitCode = report ? 1 : 0;
  }
}
