import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { appFlags, forceFlag } from '../../../shared/flags.js';
import { readConsumer, readLocalApp, readSecret } from '../../../shared/credentials/eca.js';
import { checkSecretFile, writeSecretFile } from '../../../shared/credentials/secretFile.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.app.credentials');

export type IntegrationAppCredentialsResult = {
  app: string;
  appId: string;
  consumerKey: string;
  /** The 0600 file the secret was written to (the secret itself is never in the result). */
  secretFile: string | null;
  secretWritten: boolean;
  nextSteps: string[];
};

export default class IntegrationAppCredentials extends SfCommand<IntegrationAppCredentialsResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = appFlags(messages, {
    'secret-file': Flags.string({ summary: messages.getMessage('flags.secret-file.summary') }),
    force: forceFlag(messages),
  });

  public async run(): Promise<IntegrationAppCredentialsResult> {
    const { flags } = await this.parse(IntegrationAppCredentials);
    const secretFile = flags['secret-file'] ? await checkSecretFile(flags['secret-file'], flags.force) : null;
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const app = await readLocalApp(conn, flags.name);
    const { consumer } = await readConsumer(conn, app);
    if (secretFile) await writeSecretFile(secretFile, await readSecret(conn, app, consumer), flags.force);
    const nextSteps = [
      messages.getMessage('next.jwt', [consumer.key, conn.instanceUrl]),
      messages.getMessage('next.clientCredentials', [secretFile ?? '<secret file>']),
    ];
    const result = { app: app.developerName, appId: app.id, consumerKey: consumer.key, secretFile, secretWritten: secretFile !== null, nextSteps };
    if (!this.jsonEnabled()) {
      this.log(messages.getMessage('key', [app.developerName, consumer.key]));
      if (secretFile) this.log(messages.getMessage('secretWritten', [secretFile]));
      this.log(messages.getMessage('next'));
      for (const s of nextSteps) this.log(`  ${s}`);
    }
    return result;
  }
}
