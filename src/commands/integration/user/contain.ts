import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { allowNonIntegrationUserFlag, forceFlag, orgFlags, userFlag } from '../../../shared/flags.js';
import { containExitCode, containUser, type ContainResult } from '../../../shared/lifecycle/contain.js';
import { lostAnswerWarnings } from '../../../shared/lifecycle/lostAnswer.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.contain');

export type IntegrationUserContainResult = ContainResult;

export default class IntegrationUserContain extends SfCommand<IntegrationUserContainResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...orgFlags(),
    user: userFlag(messages),
    app: Flags.string({ char: 'n', summary: messages.getMessage('flags.app.summary') }),
    'secret-file': Flags.string({ summary: messages.getMessage('flags.secret-file.summary') }),
    force: forceFlag(messages),
    reason: Flags.string({ summary: messages.getMessage('flags.reason.summary') }),
    'incident-file': Flags.string({ summary: messages.getMessage('flags.incident-file.summary') }),
    'allow-non-integration-user': allowNonIntegrationUserFlag(messages),
  };

  public async run(): Promise<IntegrationUserContainResult> {
    const { flags } = await this.parse(IntegrationUserContain);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const result = await containUser(conn, {
      username: flags.user,
      app: flags.app,
      reason: flags.reason,
      secretFile: flags['secret-file'],
      force: flags.force,
      incidentFile: flags['incident-file'],
      allowNonIntegrationUser: flags['allow-non-integration-user'],
      baseDir: process.cwd(),
    });
    if (!this.jsonEnabled()) {
      for (const s of result.steps) this.log(`${messages.getMessage(`step.${s.step}`)}: ${s.status} — ${s.detail}`);
      this.log(messages.getMessage('incident', [result.incidentFile]));
      this.log(messages.getMessage('next'));
      for (const n of result.nextSteps) this.log(`  ${n}`);
    }
    for (const w of lostAnswerWarnings(result)) this.warn(w);
    process.exitCode = containExitCode(result);
    return result;
  }
}
