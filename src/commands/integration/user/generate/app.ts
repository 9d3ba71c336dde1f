import { readFile } from 'node:fs/promises';
import { Messages } from '@salesforce/core';
import { SfCommand, Flags } from '@salesforce/sf-plugins-core';
import { generateApp } from '../../../../shared/eca/app.js';
import { exitCodesHelp } from '../../../../shared/exitCodes.js';
import { countOf } from '../../../../shared/model/count.js';
import { FLOWS, type GenerateAppResult } from '../../../../shared/eca/types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.generate.app');

export type IntegrationUserGenerateAppResult = GenerateAppResult;

export default class IntegrationUserGenerateApp extends SfCommand<IntegrationUserGenerateAppResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    name: Flags.string({ char: 'n', summary: messages.getMessage('flags.name.summary'), required: true }),
    label: Flags.string({ summary: messages.getMessage('flags.label.summary') }),
    description: Flags.string({ summary: messages.getMessage('flags.description.summary') }),
    'contact-email': Flags.string({ summary: messages.getMessage('flags.contact-email.summary'), required: true }),
    flow: Flags.option({ options: FLOWS, default: 'client-credentials' as const, summary: messages.getMessage('flags.flow.summary') })(),
    'run-as': Flags.string({ summary: messages.getMessage('flags.run-as.summary') }),
    certificate: Flags.file({ exists: true, summary: messages.getMessage('flags.certificate.summary') }),
    scopes: Flags.string({ multiple: true, delimiter: ',', summary: messages.getMessage('flags.scopes.summary') }),
    'callback-url': Flags.string({ summary: messages.getMessage('flags.callback-url.summary') }),
    'permission-set': Flags.string({ multiple: true, summary: messages.getMessage('flags.permission-set.summary') }),
    profile: Flags.string({ multiple: true, summary: messages.getMessage('flags.profile.summary') }),
    'output-dir': Flags.directory({ char: 'd', summary: messages.getMessage('flags.output-dir.summary') }),
    'api-version': Flags.orgApiVersion({
      default: undefined,
      summary: messages.getMessage('flags.api-version.summary'),
      description: messages.getMessage('flags.api-version.description'),
    }),
    // No default: without -o nothing is sent to any org, not even the configured default org.
    'target-org': Flags.optionalOrg({
      default: undefined,
      defaultHelp: undefined,
      summary: messages.getMessage('flags.target-org.summary'),
      description: messages.getMessage('flags.target-org.description'),
    }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
  };

  public async run(): Promise<IntegrationUserGenerateAppResult> {
    const { flags } = await this.parse(IntegrationUserGenerateApp);
    const org = flags['target-org'];
    const { result, warnings } = await generateApp({
      name: flags.name,
      label: flags.label,
      description: flags.description,
      contactEmail: flags['contact-email'],
      flow: flags.flow,
      runAs: flags['run-as'],
      certificate: flags.certificate ? { path: flags.certificate, content: await readFile(flags.certificate) } : undefined,
      scopes: flags.scopes,
      callbackUrl: flags['callback-url'],
      permissionSets: flags['permission-set'],
      profiles: flags.profile,
      apiVersion: flags['api-version'],
      outputDir: flags['output-dir'],
      cwd: process.cwd(),
      force: flags.force,
      dryRun: flags['dry-run'],
      org: org && { conn: org.getConnection(flags['api-version']), username: org.getUsername() ?? '' },
    });
    for (const w of warnings) this.warn(w);
    this.render(result);
    return result;
  }

  private render(result: IntegrationUserGenerateAppResult): void {
    if (this.jsonEnabled()) return;
    const heading = result.dryRun ? 'info.dryRun' : 'info.written';
    this.log(messages.getMessage(heading, result.dryRun ? [result.outputDir] : [countOf(result.files.length, 'file'), result.outputDir]));
    for (const file of result.files) {
      this.log(`  ${file.path}`);
      if (file.xml) this.log(`\n${file.xml}`);
    }
    this.log(`\n${messages.getMessage('info.nextSteps')}`);
    result.nextSteps.forEach((step, i) => {
      this.log(`${i + 1}. ${step.description}`);
      if (step.command) this.log(`   ${step.command}`);
    });
  }
}
