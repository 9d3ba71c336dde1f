/** --output-file / --output-format: pairing the flags, rendering each report, writing the files. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Messages } from '@salesforce/core';
import type { AuditResult } from './policy.js';
import type { ReportContext } from './formats/context.js';
import { formatJson } from './formats/json.js';
import { formatJunit } from './formats/junit.js';
import { formatMarkdown } from './formats/markdown.js';
import { formatSarif } from './formats/sarif.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit');

export const OUTPUT_FORMATS = ['json', 'sarif', 'junit', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type OutputTarget = { path: string; format: OutputFormat };

/** The format a file name implies, if any. */
export function inferFormat(path: string): OutputFormat | undefined {
  const name = path.toLowerCase();
  if (name.endsWith('.sarif') || name.endsWith('.sarif.json')) return 'sarif';
  if (name.endsWith('.xml')) return 'junit';
  if (name.endsWith('.md') || name.endsWith('.markdown')) return 'markdown';
  if (name.endsWith('.json')) return 'json';
  return undefined;
}

/**
 * Pairs files with formats by position. Without formats, each file's extension decides; otherwise there must
 * be exactly one format per file.
 */
export function planOutputs(files: readonly string[] = [], formats: readonly OutputFormat[] = []): OutputTarget[] {
  if (formats.length > 0 && formats.length !== files.length) {
    throw messages.createError('error.OutputFormatCount', [formats.length, files.length]);
  }
  return files.map((path, i) => {
    const format = formats[i] ?? inferFormat(path);
    if (format === undefined) throw messages.createError('error.OutputFormatUnknown', [path]);
    return { path, format };
  });
}

export function renderReport(result: AuditResult, format: OutputFormat, context: ReportContext): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, context);
    case 'junit':
      return formatJunit(result, context);
    case 'markdown':
      return formatMarkdown(result);
  }
}

/** Writes every report (creating folders); returns what was written. */
export async function writeReports(
  result: AuditResult,
  targets: readonly OutputTarget[],
  context: ReportContext,
  render: (result: AuditResult, format: OutputFormat, context: ReportContext) => string = renderReport
): Promise<OutputTarget[]> {
  await Promise.all(
    targets.map(async (t) => {
      try {
        await mkdir(dirname(t.path), { recursive: true });
        await writeFile(t.path, render(result, t.format, context), 'utf8');
      } catch (e) {
        throw messages.createError('error.OutputWriteFailed', [t.path, e instanceof Error ? e.message : String(e)]);
      }
    })
  );
  return [...targets];
}
