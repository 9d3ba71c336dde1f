import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { dryRunFlag, specFileFlags } from '../../../shared/flags.js';
import { countOf } from '../../../shared/model/count.js';
import { applySpec, type SpecApplyBlock } from '../../../shared/spec/apply.js';
import { connectSpecOrg } from '../../../shared/spec/connect.js';
import { loadSpec } from '../../../shared/spec/load.js';
import { resolveSpec } from '../../../shared/spec/overlay.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.apply');

export type IntegrationUserApplyResult = SpecApplyBlock;

export default class IntegrationUserApply extends SfCommand<IntegrationUserApplyResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...specFileFlags(messages),
    env: Flags.string({ summary: messages.getMessage('flags.env.summary') }),
    prune: Flags.boolean({ default: false, summary: messages.getMessage('flags.prune.summary') }),
    'dry-run': dryRunFlag(messages),
  };

  public async run(): Promise<IntegrationUserApplyResult> {
    const { flags } = await this.parse(IntegrationUserApply);
    const spec = resolveSpec(await loadSpec(flags.file, { deferProblems: true }), flags.env);
    const org = await connectSpecOrg(flags['target-org'] ?? spec.targetOrg, flags['api-version'], spec.environment ? `environment ${spec.environment}` : flags.file);
    if (!this.jsonEnabled()) this.spinner.start(messages.getMessage(flags['dry-run'] ? 'spinner.plan' : 'spinner.apply'));
    const { block, exitCode } = await applySpec(org.conn, spec, { prune: flags.prune, dryRun: flags['dry-run'], targetOrg: org.label }).finally(() =>
      this.spinner.stop()
    );
    if (block.interrupted) this.warn(messages.getMessage('warning.interrupted', [block.interrupted.reason]));
    if (!this.jsonEnabled()) this.render(block);
    process.exitCode = exitCode;
    return block;
  }

  private render(block: SpecApplyBlock): void {
    const where = block.environment ? `${block.environment} (${block.targetOrg})` : block.targetOrg;
    this.log(messages.getMessage(block.dryRun ? 'header.dryRun' : 'header.apply', [where]));
    this.table({
      data: block.integrations.map((i) => ({
        integration: i.integration,
        username: i.username,
        status: messages.getMessage(`status.${i.status}`),
        changes: i.changes.map((c) => `${c.action} ${c.type === 'field' ? c.name : c.type === 'user' ? 'user' : `${c.type} ${c.name}`}`).join(', ') || '—',
        error: i.error ?? '',
      })),
      columns: (['integration', 'username', 'status', 'changes', 'error'] as const).map((key) => ({ key, name: messages.getMessage(`column.${key}`) })),
    });
    const unpruned = block.drift;
    if (unpruned.length > 0) {
      this.log(messages.getMessage('drift.title', [countOf(unpruned.length, 'assignment')]));
      for (const d of unpruned) this.log(`  ${d.integration} (${d.username}): ${d.type} ${d.name}`);
    }
    this.log(messages.getMessage('summary.requests', [countOf(block.changes.length, 'change'), countOf(block.writeRequests, 'writeRequest'), countOf(block.requests, 'request')]));
    if (block.integrations.some((i) => i.status === 'failed')) this.log(messages.getMessage('summary.rerun'));
  }
}
