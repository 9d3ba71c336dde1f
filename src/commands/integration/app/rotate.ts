import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { appFlags, dryRunFlag, forceFlag } from '../../../shared/flags.js';
import { rotateCredentials, rotateExitCode, type RotateResult } from '../../../shared/credentials/rotate.js';
import { checkSecretFile } from '../../../shared/credentials/secretFile.js';
import { lostAnswerWarnings } from '../../../shared/lifecycle/lostAnswer.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.app.rotate');

export type IntegrationAppRotateResult = RotateResult;

export default class IntegrationAppRotate extends SfCommand<IntegrationAppRotateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = appFlags(messages, {
    'secret-file': Flags.string({ exactlyOne: ['secret-file', 'use-staged'], summary: messages.getMessage('flags.secret-file.summary') }),
    'use-staged': Flags.boolean({ exactlyOne: ['secret-file', 'use-staged'], exclusive: ['replace-staged', 'force'], summary: messages.getMessage('flags.use-staged.summary') }),
    force: forceFlag(messages),
    'revoke-previous': Flags.boolean({ default: false, summary: messages.getMessage('flags.revoke-previous.summary') }),
    'replace-staged': Flags.boolean({ default: false, summary: messages.getMessage('flags.replace-staged.summary') }),
    'dry-run': dryRunFlag(messages),
  });

  public async run(): Promise<IntegrationAppRotateResult> {
    const { flags } = await this.parse(IntegrationAppRotate);
    // --use-staged makes no new secret (the staged one's secret was written when it was staged): no file.
    const secretFile = flags['secret-file'] ? await checkSecretFile(flags['secret-file'], flags.force) : null;
    const result = await rotateCredentials(flags['target-org'].getConnection(flags['api-version']), {
      name: flags.name,
      secretFile,
      force: flags.force,
      revokePrevious: flags['revoke-previous'],
      replaceStaged: flags['replace-staged'],
      dryRun: flags['dry-run'],
      useStaged: flags['use-staged'],
    });
    if (!this.jsonEnabled()) this.render(result);
    for (const w of lostAnswerWarnings(result)) this.warn(w);
    process.exitCode = rotateExitCode(result);
    return result;
  }

  private render(result: IntegrationAppRotateResult): void {
    if (result.dryRun) this.log(messages.getMessage('headline.dryRun'));
    for (const s of result.steps) this.log(`${messages.getMessage(`step.${s.step}`)}: ${s.status}${s.detail ? ` (${s.detail})` : ''}`);
    if (result.rotated) {
      this.log(
        result.secretFile
          ? messages.getMessage('rotated', [result.app, result.consumerKey, result.secretFile])
          : messages.getMessage('rotatedToStaged', [result.app, result.consumerKey])
      );
      this.log(
        result.previousRevoked
          ? messages.getMessage('previousRevoked')
          : messages.getMessage('previousValid', [result.previousConsumerKey, result.previousValidUntil ?? '?'])
      );
    } else if (!result.dryRun) {
      this.log(messages.getMessage('notRotated', [result.previousConsumerKey, result.staged ? `${result.staged.state}, until ${result.staged.expirationDate ?? '?'}` : 'none']));
    }
  }
}
