import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { specFileFlags } from '../../../shared/flags.js';
import { countOf } from '../../../shared/model/count.js';
import { EXIT_CODES, exitCodesHelp } from '../../../shared/exitCodes.js';
import { connectSpecOrg } from '../../../shared/spec/connect.js';
import { loadSpec } from '../../../shared/spec/load.js';
import { resolveSpec } from '../../../shared/spec/overlay.js';
import { planSpec, type SpecChange, type SpecDrift, type SpecPlanBlock } from '../../../shared/spec/plan.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.plan');

export type IntegrationUserPlanResult = {
  /** True only when every environment's org matches the spec exactly. */
  converged: boolean;
  /** Every environment's changes (one environment: its own). */
  changes: SpecChange[];
  drift: SpecDrift[];
  /** HTTP requests `apply` will make, over every environment. */
  requests: number;
  /** One block per environment (--env), or one for the spec without an environment. */
  environments: SpecPlanBlock[];
};

export default class IntegrationUserPlan extends SfCommand<IntegrationUserPlanResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...specFileFlags(messages),
    env: Flags.string({ multiple: true, summary: messages.getMessage('flags.env.summary') }),
    prune: Flags.boolean({ default: false, summary: messages.getMessage('flags.prune.summary') }),
  };

  public async run(): Promise<IntegrationUserPlanResult> {
    const { flags } = await this.parse(IntegrationUserPlan);
    const spec = await loadSpec(flags.file, { deferProblems: true });
    const envs = flags.env && flags.env.length > 0 ? [...new Set(flags.env)] : [undefined];
    const resolved = envs.map((env) => resolveSpec(spec, env));
    if (!this.jsonEnabled()) this.spinner.start(messages.getMessage('spinner'));
    const blocks = await Promise.all(
      resolved.map(async (r) => {
        const org = await connectSpecOrg(flags['target-org'] ?? r.targetOrg, flags['api-version'], r.environment ? `environment ${r.environment}` : flags.file);
        const { block } = await planSpec(org.conn, r, { prune: flags.prune, targetOrg: org.label });
        return block;
      })
    ).finally(() => this.spinner.stop());
    const result: IntegrationUserPlanResult = {
      converged: blocks.every((b) => b.converged),
      changes: blocks.flatMap((b) => b.changes),
      drift: blocks.flatMap((b) => b.drift),
      requests: blocks.reduce((n, b) => n + b.requests, 0),
      environments: blocks,
    };
    if (!this.jsonEnabled()) for (const block of blocks) renderPlan(this, block, messages);
    // 3, as for audit findings: the org differs from what it should be.
    process.exitCode = result.converged ? EXIT_CODES.success : EXIT_CODES.auditFindings;
    return result;
  }
}

type Logger = Pick<SfCommand<unknown>, 'log' | 'table' | 'warn'>;

/** The plan of one environment, for people: a header, the changes, the drift, the cost. */
export function renderPlan(cmd: Logger, block: SpecPlanBlock, m: Messages<string>, changes = block.changes): void {
  const where = block.environment ? m.getMessage('header.env', [block.environment, block.targetOrg]) : m.getMessage('header.org', [block.targetOrg]);
  cmd.log(where);
  if (changes.length > 0) {
    cmd.table({
      data: changes.map((c) => ({
        integration: c.integration,
        username: c.username,
        action: c.action,
        what: c.type === 'field' ? `${c.name}: ${c.from ?? '—'} → ${c.to ?? '—'}` : c.type === 'user' ? c.type : `${c.type} ${c.name}${c.action === 'update' ? ` (expires ${c.from ?? '—'} → ${c.to ?? '—'})` : c.to ? ` (expires ${c.to})` : ''}`,
        why: c.reason ?? (c.neededBy ? m.getMessage('neededBy', [c.neededBy]) : ''),
      })),
      columns: (['integration', 'username', 'action', 'what', 'why'] as const).map((key) => ({ key, name: m.getMessage(`column.${key}`) })),
    });
  }
  const unpruned = block.drift.filter((d) => !d.pruned);
  if (unpruned.length > 0) {
    cmd.log(m.getMessage('drift.title', [countOf(unpruned.length, 'assignment')]));
    for (const d of unpruned) cmd.log(`  ${d.integration} (${d.username}): ${d.type} ${d.name}`);
    cmd.log(m.getMessage('drift.hint'));
  }
  cmd.log(block.converged ? m.getMessage('summary.converged') : m.getMessage('summary.differs', [countOf(changes.length, 'change'), countOf(block.drift.length, 'assignment'), countOf(block.writeRequests, 'writeRequest'), countOf(block.requests, 'request')]));
}
