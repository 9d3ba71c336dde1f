/** What to do after generating: deploy, keep the global OAuth settings out of source control, get the key, log in. */
import { relative } from 'node:path';
import { Messages } from '@salesforce/core';
import { LAYOUT } from './generate.js';
import type { AppSpec, NextStep } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'eca');

export const GLOBAL_OAUTH_IGNORE_PATTERN = `**/*.${LAYOUT.ExtlClntAppGlobalOauthSettings.suffix}-meta.xml`;

export type NextStepsInput = {
  spec: AppSpec;
  /** Absolute paths of the generated files. */
  paths: readonly string[];
  /** Folder the deploy command is run from (paths in it are relative to this). */
  cwd: string;
  /** Username of the org given with --target-org, if any. */
  targetOrg?: string;
};

export function nextSteps({ spec, paths, cwd, targetOrg }: NextStepsInput): NextStep[] {
  const deploy = [
    'sf project deploy start',
    ...paths.map((p) => `--source-dir ${shellQuote(relative(cwd, p) || '.')}`),
    `--api-version ${spec.apiVersion}`,
    ...(targetOrg ? [`--target-org ${shellQuote(targetOrg)}`] : []),
  ].join(' ');
  const steps: NextStep[] = [
    { description: messages.getMessage('nextStep.deploy'), command: deploy },
    {
      description: messages.getMessage('nextStep.ignoreGlobalOauth'),
      command: `echo '${GLOBAL_OAUTH_IGNORE_PATTERN}' >> .gitignore`,
    },
    { description: messages.getMessage('nextStep.consumerKey', [spec.label]) },
  ];
  const runAs = spec.runAs ?? '<username>';
  switch (spec.flow) {
    case 'client-credentials':
      steps.push({
        description: messages.getMessage('nextStep.clientCredentials', [runAs]),
        command:
          'curl -s https://<MyDomain>.my.salesforce.com/services/oauth2/token -d grant_type=client_credentials --data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret=$CLIENT_SECRET"',
      });
      break;
    case 'jwt':
      steps.push({
        description: messages.getMessage('nextStep.jwt', [runAs]),
        command: `sf org login jwt --client-id <consumer key> --jwt-key-file <private key of the certificate> --username ${shellQuote(runAs)}`,
      });
      break;
    case 'web-server':
      steps.push({ description: messages.getMessage('nextStep.webServer', [spec.callbackUrl]) });
      break;
  }
  return steps;
}

/** Leaves plain words alone; single-quotes anything else. */
export function shellQuote(value: string): string {
  return /^[\w./@:+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
