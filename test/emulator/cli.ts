/**
 * `npm run emulator -- [options]`: starts the org emulator out of process, prints one JSON line
 * `{"instanceUrl", "accessToken", "username"}` once listening, and runs until SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { runningUserLevel, startEmulator, type EmulatorOptions } from './index.js';

const HELP = `Usage: npm run emulator -- [options]

Starts the Salesforce org emulator on 127.0.0.1 and prints one JSON line
{"instanceUrl": ..., "accessToken": ..., "username": ...} when it listens. Stop it with Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port N                    port to listen on (default 0: any free port)
  --seed default|scale:USERS  the default seed, or USERS generated users on top of it (default: default)
  --edition NAME              Organization.OrganizationType (default "Enterprise Edition")
  --integration-licenses N    seats of the "Salesforce Integration" user license and of the "Salesforce API
                              Integration" PSL (default by edition: 5 Enterprise/Unlimited/Performance,
                              1 Developer, none in Professional/Team/...)
  --latency-ms N              delay added to every request (default 0)
  --mixed-dml allow|reject    reject: a composite writing User and permission set (license) assignments
                              fails with MIXED_DML_OPERATION (default allow)
  --psl-auto-assign on|off    on (default): assigning a set whose license is a PSL the user lacks assigns the
                              PSL too (a seat; LICENSE_LIMIT_EXCEEDED when none is left); off: it fails with
                              FIELD_INTEGRITY_EXCEPTION until the PSL is assigned
  --api-disabled              every REST call answers 403 API_DISABLED_FOR_ORG
  --eca-secret-rest-access on|off  on (default): ECA consumer secrets and staged credentials over Connect REST;
                              off: they answer 403 FUNCTIONALITY_NOT_ENABLED (the key stays readable)
  --running-user LEVEL        who the session runs as: admin (default; everything), delegated-admin (View
                              Setup + Assign Permission Sets, no Manage Users), auditor (View Setup only),
                              standard (none of them); reads and writes follow those rights
  --restricted                alias of --running-user standard
  --logins-per-user N         login volume: N more LoginHistory rows per active integration user, N/10 per
                              human, over the 90 days before its last login (deterministic; any --seed)
  --absent-fields O.F[,O.F]   fields this org lacks (e.g. PermissionSet.PermissionsMonitorLoginHistory): gone
                              from describe, SOQL (INVALID_FIELD "No such column") and DML
  --help                      show this help

Control endpoint (same bearer token): GET /__emulator/requests, POST /__emulator/reset-log,
POST /__emulator/faults (JSON body: {latencyMs, http503, requestLimitExceeded, dropConnection, failNthWrite,
  dropResponseAfterCommit, holdWritesUntilReads: {writes, reads, match, timeoutMs}}; see test/emulator/README.md).
`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function seedOption(value: string | undefined): EmulatorOptions['seed'] {
  if (value === undefined || value === 'default') return 'default';
  const scale = /^scale:(\d+)$/.exec(value);
  if (!scale) throw new Error(`--seed must be "default" or "scale:USERS", got "${value}"`);
  return { scale: Number(scale[1]) };
}

function mixedDmlOption(value: string | undefined): EmulatorOptions['mixedDml'] {
  if (value === undefined || value === 'allow' || value === 'reject') return value;
  throw new Error(`--mixed-dml must be "allow" or "reject", got "${value}"`);
}

function runningUserOption(value: string | undefined, restricted: boolean | undefined): EmulatorOptions['runningUser'] {
  if (restricted && value !== undefined && value !== 'standard') throw new Error('--restricted is --running-user standard; do not combine it with another level');
  if (value === undefined) return restricted ? 'standard' : undefined;
  try {
    return runningUserLevel(value);
  } catch {
    throw new Error(`--running-user must be admin, delegated-admin, auditor or standard, got "${value}"`);
  }
}

function onOff(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new Error(`--${name} must be "on" or "off", got "${value}"`);
}

function parseOptions(args: string[]): EmulatorOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      edition: { type: 'string' },
      'integration-licenses': { type: 'string' },
      'latency-ms': { type: 'string' },
      'mixed-dml': { type: 'string' },
      'psl-auto-assign': { type: 'string' },
      'eca-secret-rest-access': { type: 'string' },
      'api-disabled': { type: 'boolean' },
      restricted: { type: 'boolean' },
      'running-user': { type: 'string' },
      'absent-fields': { type: 'string' },
      'logins-per-user': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  return {
    port: integer('port', values.port),
    seed: seedOption(values.seed),
    edition: values.edition,
    integrationLicenses: integer('integration-licenses', values['integration-licenses']),
    latencyMs: integer('latency-ms', values['latency-ms']),
    mixedDml: mixedDmlOption(values['mixed-dml']),
    pslAutoAssign: onOff('psl-auto-assign', values['psl-auto-assign']),
    ecaSecretRestAccess: onOff('eca-secret-rest-access', values['eca-secret-rest-access']),
    apiEnabled: values['api-disabled'] ? false : undefined,
    runningUser: runningUserOption(values['running-user'], values.restricted),
    loginsPerUser: integer('logins-per-user', values['logins-per-user']),
    absentFields: values['absent-fields']?.split(',').map((f) => f.trim()).filter(Boolean),
  };
}

async function main(): Promise<void> {
  let options: EmulatorOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`${JSON.stringify({ instanceUrl: emulator.instanceUrl, accessToken: emulator.accessToken, username: emulator.username })}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
