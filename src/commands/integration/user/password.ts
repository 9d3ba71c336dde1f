import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { forceFlag, orgFlags, userFlag } from '../../../shared/flags.js';
import { checkSecretFile } from '../../../shared/credentials/secretFile.js';
import { lostAnswerWarnings } from '../../../shared/lifecycle/lostAnswer.js';
import { setIntegrationPassword, type PasswordResult } from '../../../shared/lifecycle/password.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.password');

export type IntegrationUserPasswordResult = PasswordResult;

export default class IntegrationUserPassword extends SfCommand<IntegrationUserPasswordResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...orgFlags(),
    user: userFlag(messages),
    'password-file': Flags.string({ required: true, summary: messages.getMessage('flags.password-file.summary') }),
    force: forceFlag(messages),
  };

  public async run(): Promise<IntegrationUserPasswordResult> {
    const { flags } = await this.parse(IntegrationUserPassword);
    const passwordFile = await checkSecretFile(flags['password-file'], flags.force);
    const result = await setIntegrationPassword(flags['target-org'].getConnection(flags['api-version']), {
      username: flags.user,
      passwordFile,
      force: flags.force,
    });
    if (!this.jsonEnabled()) {
      this.log(messages.getMessage('set', [result.username, result.passwordFile]));
      this.log('');
      for (const f of result.facts) this.log(f);
    }
    for (const w of lostAnswerWarnings(result)) this.warn(w);
    return result;
  }
}
