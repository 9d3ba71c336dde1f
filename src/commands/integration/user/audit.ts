import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Messages, SfProject } from '@salesforce/core';
import { SfCommand, Flags } from '@salesforce/sf-plugins-core';
import type { Interfaces } from '@oclif/core';
import { EXIT_CODES, exitCodesHelp } from '../../../shared/exitCodes.js';
import { apiVersionFlag, optionalTargetOrgFlag } from '../../../shared/flags.js';
import { countOf } from '../../../shared/model/count.js';
import { readBaseline, writeBaseline } from '../../../shared/audit/baseline.js';
import { DEFAULT_CONFIG, readAuditConfig } from '../../../shared/audit/config.js';
import { runAuditRules } from '../../../shared/audit/engine.js';
import type { ReportContext } from '../../../shared/audit/formats/context.js';
import { notEvaluatedText } from '../../../shared/audit/formats/notEvaluated.js';
import { textReport } from '../../../shared/audit/formats/text.js';
import { OUTPUT_FORMATS, planOutputs, writeReports } from '../../../shared/audit/outputs.js';
import { FAIL_ON, acceptAll, applyPolicy, type AuditResult } from '../../../shared/audit/policy.js';
import { RULES } from '../../../shared/audit/rules.js';
import { loadSpec } from '../../../shared/spec/load.js';
import { resolveSpec } from '../../../shared/spec/overlay.js';
import type { RuleDefinition } from '../../../shared/audit/types.js';
import { combineEnvironments, fleetTextReport, renderFleetReport, type EnvironmentAuditResult, type FleetAuditResult } from '../../../shared/audit/fleet.js';
import { connectSpecOrg } from '../../../shared/spec/connect.js';
import type { OrgConnection } from '../../../shared/api.js';
import { givenTargetOrg, withListHint } from '../../../shared/audit/userNotFound.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.audit');

export type { AuditResult, AuditSummary } from '../../../shared/audit/policy.js';
/** `--list-rules`: the audit's rules. */
export type IntegrationUserAuditRules = { rules: RuleDefinition[] };
export type { EnvironmentAuditResult, FleetAuditResult } from '../../../shared/audit/fleet.js';
/** An audit (one org), a fleet audit (--spec with several --env: one result per environment), or --list-rules. */
export type IntegrationUserAuditResult = AuditResult | FleetAuditResult | IntegrationUserAuditRules;

const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  homepage?: string;
};

export default class IntegrationUserAudit extends SfCommand<IntegrationUserAuditResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    'target-org': optionalTargetOrgFlag(messages.getMessage('flags.target-org.summary')),
    'api-version': apiVersionFlag(),
    'fail-on': Flags.option({ options: FAIL_ON, default: 'high', summary: messages.getMessage('flags.fail-on.summary') })(),
    'output-file': Flags.file({
      multiple: true,
      summary: messages.getMessage('flags.output-file.summary'),
      description: messages.getMessage('flags.output-file.description'),
    }),
    'output-format': Flags.option({ options: OUTPUT_FORMATS, multiple: true, summary: messages.getMessage('flags.output-format.summary') })(),
    baseline: Flags.file({ exists: true, summary: messages.getMessage('flags.baseline.summary') }),
    'write-baseline': Flags.file({ summary: messages.getMessage('flags.write-baseline.summary') }),
    config: Flags.file({ exists: true, summary: messages.getMessage('flags.config.summary') }),
    user: Flags.string({ multiple: true, summary: messages.getMessage('flags.user.summary') }),
    'list-rules': Flags.boolean({ summary: messages.getMessage('flags.list-rules.summary') }),
    spec: Flags.file({ exists: true, summary: messages.getMessage('flags.spec.summary') }),
    env: Flags.string({ multiple: true, dependsOn: ['spec'], summary: messages.getMessage('flags.env.summary'), description: messages.getMessage('flags.env.description') }),
  };

  public async run(): Promise<IntegrationUserAuditResult> {
    const { flags, raw } = await this.parse(IntegrationUserAudit);
    if (flags['list-rules']) return this.listRules();
    const org = flags['target-org'];
    const envs = [...new Set(flags.env ?? [])];
    if (envs.length > 1 && flags.spec) return this.runFleet(flags, flags.spec, envs);
    if (!org) throw messages.createError('error.MissingTargetOrg');

    // Validate every input before reading the org.
    const ruleIds = RULES.map((r) => r.id);
    const config = flags.config ? await readAuditConfig(flags.config, ruleIds) : DEFAULT_CONFIG;
    const previous = flags.baseline ? await readBaseline(flags.baseline) : undefined;
    const targets = planOutputs(flags['output-file'], flags['output-format']);
    // --spec (IU014): the spec as it applies to --env; its file is the SARIF location of each drift finding.
    const spec = flags.spec ? resolveSpec({ ...(await loadSpec(flags.spec)), file: repoRelative(flags.spec) }, envs[0]) : undefined;

    const configUsers = config.allow.map((a) => a.user).filter((u) => u !== '*');
    const baselineUsers = (previous?.findings ?? []).flatMap((e) => (e.user === null ? [] : [e.user]));
    const conn = org.getConnection(flags['api-version']);
    this.spinner.start(messages.getMessage('spinner.reading'));
    const run = await runAuditRules(conn, {
      usernames: flags.user,
      referencedUsernames: [...configUsers, ...baselineUsers],
      dormantDays: config.thresholds.dormantDays,
      seatThresholdPercent: config.thresholds.seatUsagePercent,
      // IU013 checks the External Client App policy files of the sfdx project we run in, if any.
      projectDir: await SfProject.resolveProjectPath().catch(() => undefined),
      spec,
    })
      // an unknown --user: its "check the usernames" hint names the org as it was given
      .catch((error: unknown) => {
        throw withListHint(error, givenTargetOrg(raw));
      })
      .finally(() => this.spinner.stop());

    const options = { config, baseline: previous, failOn: flags['fail-on'], users: flags.user };
    let result = applyPolicy(run, options);
    if (flags['write-baseline']) {
      const accepted = acceptAll(run, options);
      await writeBaseline(flags['write-baseline'], accepted.baseline);
      result = accepted.result;
      this.logSuccess(messages.getMessage('human.wroteBaseline', [countOf(accepted.baseline.findings.length, 'finding'), flags['write-baseline']]));
    }

    const context: ReportContext = {
      rules: RULES.filter((r) => config.rules[r.id]?.enabled !== false),
      toolName: pkg.name,
      toolVersion: pkg.version,
      informationUri: pkg.homepage ?? `https://www.npmjs.com/package/${pkg.name}`,
    };
    for (const t of await writeReports(result, targets, context)) {
      this.log(messages.getMessage('human.wroteFile', [t.format, t.path]));
    }
    if (!this.jsonEnabled()) this.render(result);
    for (const r of result.rulesNotEvaluated) this.warn(notEvaluatedText(r));
    // A user a current finding names (IU013: a run-as user the org lacks) is known to be missing already.
    const named = new Set(run.findings.flatMap((f) => (f.user ? [f.user.toLowerCase()] : [])));
    const unknown = new Set((run.unknownUsernames ?? []).map((u) => u.toLowerCase()).filter((u) => !named.has(u)));
    for (const [source, names] of [
      [flags.config, configUsers],
      [flags.baseline, baselineUsers],
    ] as const) {
      const missing = [...new Set(names.filter((n) => unknown.has(n.toLowerCase())))];
      if (source && missing.length > 0) this.warn(messages.getMessage('warning.UnknownUsers', [source, missing.join(', ')]));
    }
    const stale = result.summary.staleBaselineEntries;
    if (stale.length > 0) {
      this.warn(messages.getMessage('warning.StaleBaseline', [countOf(stale.length, 'baselineEntry'), stale.map((e) => `${e.ruleId} ${e.user ?? '(org)'}`).join(', ')]));
    }
    // Set, don't throw: the --json envelope keeps the result (its status is the exit code).
    process.exitCode = result.summary.exitCode;
    return result;
  }

  /**
   * --spec with several --env: each environment's org (its targetOrg, else --target-org / the default org)
   * is read concurrently and audited against the spec as it applies there; the reports keep them apart.
   */
  private async runFleet(flags: FleetFlags, specFile: string, envs: string[]): Promise<FleetAuditResult> {
    if (flags['write-baseline']) throw messages.createError('error.FleetWriteBaseline');
    const ruleIds = RULES.map((r) => r.id);
    const config = flags.config ? await readAuditConfig(flags.config, ruleIds) : DEFAULT_CONFIG;
    const previous = flags.baseline ? await readBaseline(flags.baseline) : undefined;
    const targets = planOutputs(flags['output-file'], flags['output-format']);
    const loaded = { ...(await loadSpec(specFile)), file: repoRelative(specFile) };
    const resolved = envs.map((env) => resolveSpec(loaded, env));
    const configUsers = config.allow.map((a) => a.user).filter((u) => u !== '*');
    const baselineUsers = (previous?.findings ?? []).flatMap((e) => (e.user === null ? [] : [e.user]));
    const projectDir = await SfProject.resolveProjectPath().catch(() => undefined);
    const org = flags['target-org'];
    const options = { config, baseline: previous, failOn: flags['fail-on'], users: flags.user };
    this.spinner.start(messages.getMessage('spinner.reading'));
    const environments = await Promise.all(
      resolved.map(async (spec): Promise<EnvironmentAuditResult> => {
        let conn: OrgConnection;
        let label: string;
        if (spec.targetOrg) {
          ({ conn, label } = await connectSpecOrg(spec.targetOrg, flags['api-version'], `environment ${spec.environment ?? ''}`));
        } else if (org) {
          conn = org.getConnection(flags['api-version']);
          label = org.getUsername() ?? '';
        } else throw messages.createError('error.FleetNoTargetOrg', [spec.environment ?? '']);
        const run = await runAuditRules(conn, {
          usernames: flags.user,
          referencedUsernames: [...configUsers, ...baselineUsers],
          dormantDays: config.thresholds.dormantDays,
          seatThresholdPercent: config.thresholds.seatUsagePercent,
          projectDir,
          spec,
        });
        return { environment: spec.environment ?? '', targetOrg: label, ...applyPolicy(run, options) };
      })
    ).finally(() => this.spinner.stop());
    const result = combineEnvironments(environments);
    const context: ReportContext = {
      rules: RULES.filter((r) => config.rules[r.id]?.enabled !== false),
      toolName: pkg.name,
      toolVersion: pkg.version,
      informationUri: pkg.homepage ?? `https://www.npmjs.com/package/${pkg.name}`,
    };
    for (const t of await writeReports(result, targets, context, (r, format, c) => renderFleetReport(r as FleetAuditResult, format, c))) {
      this.log(messages.getMessage('human.wroteFile', [t.format, t.path]));
    }
    if (!this.jsonEnabled()) for (const line of fleetTextReport(result, { ansi: process.stdout.isTTY === true })) this.log(line);
    for (const e of environments) {
      for (const r of e.rulesNotEvaluated) {
        this.warn(`${e.environment}: ${notEvaluatedText(r)}`);
      }
    }
    process.exitCode = result.summary.exitCode;
    return result;
  }

  private listRules(): IntegrationUserAuditRules {
    const rules = RULES.map((r) => ({ ...r }));
    this.table({
      // id, severity and name fit a terminal; --json has each rule's rationale and fix
      data: rules.map((r) => ({ id: r.id, severity: r.defaultSeverity, name: r.name })),
      columns: (['id', 'severity', 'name'] as const).map((key) => ({ key, name: messages.getMessage(`column.${key}`) })),
    });
    process.exitCode = EXIT_CODES.success;
    return { rules };
  }

  private render(result: AuditResult): void {
    // ANSI codes only on a terminal (sf's colour library also turns them on in CI logs)
    const [summary, ...rest] = textReport(result, { ansi: process.stdout.isTTY === true });
    this.log(summary);
    if (result.findings.length === 0) this.log(messages.getMessage('human.noFindings', [result.summary.failOn]));
    for (const line of rest) this.log(line);
  }
}

type FleetFlags = Interfaces.InferredFlags<typeof IntegrationUserAudit.flags>;

/** A path relative to the working directory (the repository in CI), as SARIF locations need; as given when outside it. */
function repoRelative(file: string): string {
  const rel = relative(process.cwd(), resolve(file)).split(sep).join('/');
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
