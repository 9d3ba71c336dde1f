import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { expect } from 'chai';

const CLI = ['--import', 'tsx', 'test/emulator/cli.ts'];

function run(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...CLI, ...args], { cwd: process.cwd(), stdio: 'pipe' });
}

async function output(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('org emulator: CLI (npm run emulator)', () => {
  it('prints one JSON line when listening, serves the seed, and stops on SIGTERM', async () => {
    const child = run(['--seed', 'scale:50', '--edition', 'Unlimited Edition', '--integration-licenses', '9', '--mixed-dml', 'reject']);
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const info = JSON.parse(line) as { instanceUrl: string; accessToken: string; username: string };
      expect(Object.keys(info)).to.deep.equal(['instanceUrl', 'accessToken', 'username']);
      expect(info.username).to.equal('admin@acme.example.com');
      const reply = await fetch(`${info.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Name, TotalLicenses FROM UserLicense WHERE Name = \'Salesforce Integration\'')}`, {
        headers: { authorization: `Bearer ${info.accessToken}` },
      });
      const body = (await reply.json()) as { records: Array<{ TotalLicenses: number }> };
      expect(body.records[0].TotalLicenses).to.equal(9 + Math.ceil(50 * 0.25));
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).to.equal(0);
  });

  it('--help documents every option', async () => {
    const { code, stdout } = await output(run(['--help']));
    expect(code).to.equal(0);
    for (const option of ['--port', '--seed', '--edition', '--integration-licenses', '--latency-ms', '--mixed-dml', '--psl-auto-assign', '--api-disabled', '--running-user', '--restricted', '--absent-fields', '--logins-per-user', '--help']) {
      expect(stdout).to.include(option);
    }
  });

  it('rejects a bad option value with exit code 2 and the usage', async () => {
    const { code, stderr } = await output(run(['--seed', 'huge']));
    expect(code).to.equal(2);
    expect(stderr).to.include('--seed must be "default" or "scale:USERS"');
    const psl = await output(run(['--psl-auto-assign', 'maybe']));
    expect(psl.code).to.equal(2);
    expect(psl.stderr).to.include('--psl-auto-assign must be "on" or "off", got "maybe"');
    const level = await output(run(['--running-user', 'root']));
    expect([level.code, level.stderr.split('\n')[0]]).to.deep.equal([2, '--running-user must be admin, delegated-admin, auditor or standard, got "root"']);
    const both = await output(run(['--restricted', '--running-user', 'admin']));
    expect(both.code).to.equal(2);
    const field = await output(run(['--absent-fields', 'PermissionSet.PermissionsTeleport']));
    expect([field.code, field.stderr.trim()]).to.deep.equal([2, 'absent field must be Object.Field naming an emulated field other than Id, got "PermissionSet.PermissionsTeleport"']);
    expect((await output(run(['--logins-per-user', 'many']))).code).to.equal(2);
  });

  it('org variants: --running-user, --absent-fields and --logins-per-user reach the org', async () => {
    const child = run(['--running-user', 'auditor', '--absent-fields', 'PermissionSet.PermissionsModifyAllData, PermissionSet.PermissionsMonitorLoginHistory', '--logins-per-user', '40']);
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const info = JSON.parse(line) as { instanceUrl: string; accessToken: string; username: string };
      expect(info.username).to.equal('setup.auditor@acme.example.com');
      const query = async (soql: string): Promise<{ status: number; body: unknown }> => {
        const reply = await fetch(`${info.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, { headers: { authorization: `Bearer ${info.accessToken}` } });
        return { status: reply.status, body: await reply.json() };
      };
      const rights = (await query('SELECT PermissionsViewSetup, PermissionsManageUsers FROM UserPermissionAccess')).body as { records: Array<Record<string, unknown>> };
      expect(rights.records[0]).to.include({ PermissionsViewSetup: true, PermissionsManageUsers: false });
      const absent = await query('SELECT Id, PermissionsMonitorLoginHistory FROM PermissionSet');
      expect(absent.status).to.equal(400);
      expect(JSON.stringify(absent.body)).to.include("No such column 'PermissionsMonitorLoginHistory' on entity 'PermissionSet'");
      const own = (await query('SELECT COUNT() FROM LoginHistory')).body as { totalSize: number };
      expect(own.totalSize).to.equal(4);
    } finally {
      child.kill('SIGTERM');
    }
    await once(child, 'exit');
  });
});
