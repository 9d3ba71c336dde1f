/** Baselines: accepted findings, by fingerprint, that later runs don't report. */
import { writeFile } from 'node:fs/promises';
import { Messages } from '@salesforce/core';
import { readJsonFile } from './config.js';
import type { Finding } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit');

export type BaselineEntry = { fingerprint: string; ruleId: string; user: string | null; note?: string };

export type Baseline = { version: 1; generatedAt: string; findings: BaselineEntry[] };

/**
 * A baseline accepting `findings`. Notes of `previous` entries with the same fingerprint are kept, so
 * re-writing a baseline doesn't lose the reasons people wrote into it.
 */
export function createBaseline(findings: readonly Finding[], now: Date = new Date(), previous?: Baseline): Baseline {
  const notes = new Map((previous?.findings ?? []).filter((e) => e.note).map((e) => [e.fingerprint, e.note]));
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    const note = notes.get(f.fingerprint);
    entries.push({ fingerprint: f.fingerprint, ruleId: f.ruleId, user: f.user, ...(note ? { note } : {}) });
  }
  entries.sort(
    (a, b) =>
      a.ruleId.localeCompare(b.ruleId) || (a.user ?? '').localeCompare(b.user ?? '') || a.fingerprint.localeCompare(b.fingerprint)
  );
  return { version: 1, generatedAt: now.toISOString(), findings: entries };
}

function invalid(source: string, detail: string): never {
  throw messages.createError('error.InvalidBaseline', [source, detail]);
}

/** Validates a parsed baseline file. */
export function parseBaseline(raw: unknown, source: string): Baseline {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    invalid(source, messages.getMessage('config.notObject', ['(top level)']));
  }
  const obj = raw as Record<string, unknown>;
  if (obj.version !== 1) invalid(source, messages.getMessage('baseline.version', ['version']));
  if (!Array.isArray(obj.findings)) invalid(source, messages.getMessage('config.notObject', ['findings']));
  const findings = (obj.findings as unknown[]).map((item, i): BaselineEntry => {
    const path = `findings[${i}]`;
    if (typeof item !== 'object' || item === null) invalid(source, messages.getMessage('config.notObject', [path]));
    const e = item as Record<string, unknown>;
    for (const key of ['fingerprint', 'ruleId'] as const) {
      if (typeof e[key] !== 'string' || e[key] === '') {
        invalid(source, messages.getMessage('config.notString', [`${path}.${key}`]));
      }
    }
    if (e.user !== null && e.user !== undefined && typeof e.user !== 'string') {
      invalid(source, messages.getMessage('config.notString', [`${path}.user`]));
    }
    if (e.note !== undefined && typeof e.note !== 'string') {
      invalid(source, messages.getMessage('config.notString', [`${path}.note`]));
    }
    return {
      fingerprint: e.fingerprint as string,
      ruleId: e.ruleId as string,
      user: typeof e.user === 'string' ? e.user : null,
      ...(typeof e.note === 'string' ? { note: e.note } : {}),
    };
  });
  return { version: 1, generatedAt: typeof obj.generatedAt === 'string' ? obj.generatedAt : '', findings };
}

export async function readBaseline(path: string): Promise<Baseline> {
  return parseBaseline(await readJsonFile(path, 'the baseline'), path);
}

export function serializeBaseline(baseline: Baseline): string {
  return JSON.stringify(baseline, null, 2) + '\n';
}

export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  try {
    await writeFile(path, serializeBaseline(baseline), 'utf8');
  } catch (e) {
    throw messages.createError('error.OutputWriteFailed', [path, e instanceof Error ? e.message : String(e)]);
  }
}
