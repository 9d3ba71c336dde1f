import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../../shared/exitCodes.js';
import { forceFlag, orgFlags } from '../../../shared/flags.js';
import { countOf } from '../../../shared/model/count.js';
import { importSpec, type SpecImportResult } from '../../../shared/spec/import.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.import');

export type IntegrationUserImportResult = SpecImportResult;

export default class IntegrationUserImport extends SfCommand<IntegrationUserImportResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(messages);

  public static readonly flags = {
    ...orgFlags(messages.getMessage('flags.target-org.summary')),
    file: Flags.string({ char: 'f', required: true, summary: messages.getMessage('flags.file.summary') }),
    force: forceFlag(messages),
  };

  public async run(): Promise<IntegrationUserImportResult> {
    const { flags } = await this.parse(IntegrationUserImport);
    const org = flags['target-org'];
    const label = argValue(this.argv, ['-o', '--target-org']) ?? org.getUsername() ?? '';
    const result = await importSpec(org.getConnection(flags['api-version']), flags.file, { force: flags.force, orgLabel: label });
    if (result.missingApiPsl.length > 0) this.warn(messages.getMessage('warning.missingApiPsl', [result.missingApiPsl.join(', ')]));
    this.log(messages.getMessage('done', [countOf(result.integrations.length, 'integration'), result.file, result.file, label]));
    return result;
  }
}

/** The value given to a flag on the command line (e.g. the alias of -o), if any. */
function argValue(argv: readonly string[], names: readonly string[]): string | undefined {
  for (const [i, arg] of argv.entries()) {
    for (const name of names) {
      if (arg === name) return argv[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}
