/** The whole `generate app` operation: output folder, validation, optional org checks, generation, writing, next steps. */
import { join, resolve } from 'node:path';
import { Messages, SfProject } from '@salesforce/core';
import type { OrgConnection } from '../api.js';
import { generateFiles } from './generate.js';
import { nextSteps } from './nextSteps.js';
import { checkInOrg } from './orgCheck.js';
import { buildSpec, type AppInput } from './spec.js';
import type { GenerateAppResult } from './types.js';
import { writeFiles } from './writer.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'eca');

export type GenerateAppOptions = AppInput & {
  outputDir?: string;
  cwd: string;
  force: boolean;
  dryRun: boolean;
  /** --target-org: only read from, and only when given. */
  org?: { conn: OrgConnection; username: string };
};

/** The result and the warnings for the command to show (library modules return warnings; commands raise them). */
export type GenerateAppOutcome = { result: GenerateAppResult; warnings: string[] };

export async function generateApp(options: GenerateAppOptions): Promise<GenerateAppOutcome> {
  const project = await SfProject.resolve(options.cwd).catch(() => undefined);
  const outputDir = resolveOutputDir(options.outputDir, options.cwd, project);
  const sourceApiVersion = project?.getSfProjectJson().getContents().sourceApiVersion;
  const built = buildSpec({ ...options, apiVersion: options.apiVersion ?? sourceApiVersion });
  const spec = built.spec;
  const warnings = [...built.warnings];
  if (options.org) {
    const checked = await checkInOrg(options.org.conn, spec);
    spec.permissionSets = checked.permissionSets;
    spec.profiles = checked.profiles;
    warnings.push(...checked.warnings);
  }
  const files = generateFiles(spec);
  const paths = options.dryRun
    ? files.map((f) => join(outputDir, f.path))
    : await writeFiles(outputDir, files, { force: options.force });
  const result: GenerateAppResult = {
    name: spec.name,
    flow: spec.flow,
    runAs: spec.runAs ?? null,
    outputDir,
    dryRun: options.dryRun,
    files: files.map((f, i) => ({ path: paths[i], type: f.type, fullName: f.fullName, ...(options.dryRun ? { xml: f.xml } : {}) })),
    nextSteps: nextSteps({ spec, paths, cwd: options.cwd, targetOrg: options.org?.username }),
  };
  return { result, warnings };
}

/** --output-dir, else `<default package>/main/default` of the enclosing project; outside a project that is an error. */
function resolveOutputDir(outputDir: string | undefined, cwd: string, project: SfProject | undefined): string {
  if (outputDir) return resolve(cwd, outputDir);
  if (!project) throw messages.createError('error.NoProject', [cwd]);
  return join(project.getDefaultPackage().fullPath, 'main', 'default');
}
