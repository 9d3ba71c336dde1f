import { expect } from 'chai';
import type { IntegrationUserListResult } from '../../src/commands/integration/user/list.js';
import { describeResult, startE2E, type E2E } from './harness.js';

const at = (name: string): string => `${name}@acme.example.com`;
const INTEGRATION_USERS = ['billing.sync', 'legacy.etl', 'old.integration', 'shared.connector', 'warehouse.sync'].map(at);
const NOT_LISTED = ['admin', 'jane.doe', 'john.smith', 'priya.patel', 'erp.integration', 'reporting.api'].map(at);

type Envelope = { status: number; result: IntegrationUserListResult; warnings?: string[] };
type ErrorEnvelope = { status: number; exitCode: number; name: string; message: string; actions?: string[] };

describe('e2e: integration user list', function () {
  this.timeout(180_000);
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({ link: true });
  });

  after(async () => {
    await e2e?.close();
  });

  it('bin/run.js … --json: status 0, the seeded integration users and nothing else, in 2 requests', async () => {
    e2e.emu.resetRequestLog();
    const run = await e2e.run(['integration', 'user', 'list', '-o', 'emu', '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(0);
    const { status, result } = run.json as Envelope;
    expect(status).to.equal(0);
    expect(result.users.map((u) => u.username)).to.deep.equal(INTEGRATION_USERS);
    for (const username of NOT_LISTED) expect(result.users.map((u) => u.username)).to.not.include(username);
    const byName = new Map(result.users.map((u) => [u.username, u]));
    expect(byName.get(at('legacy.etl'))?.legacy).to.be.true;
    expect(byName.get(at('old.integration'))?.active).to.be.false;
    expect(result.users.filter((u) => u.legacy)).to.have.length(1);
    expect(result.seats.integrationUserLicense).to.deep.equal({ total: 5, used: 4, available: 1 });
    // sf core may ask for the API version first; the list itself is 2 composite requests.
    const composites = e2e.emu.requests.filter((r) => r.path.endsWith('/composite'));
    expect(composites).to.have.length(2);
    expect(e2e.emu.requests.length).to.be.at.most(6);
  });

  it('bin/run.js without --json: a table with the legacy user flagged, then the seat lines', async () => {
    const run = await e2e.run(['integration', 'user', 'list', '-o', 'emu']);
    expect(run.exitCode, describeResult(run)).to.equal(0);
    expect(run.stdout).to.include(at('billing.sync'));
    expect(run.stdout).to.match(/legacy/);
    expect(run.stdout).to.include('Salesforce Integration user licenses: 4 of 5 used, 1 available.');
    expect(run.stdout).to.match(/Salesforce API Integration permission set licenses: \d+ of 5 used/);
    expect(run.stdout).to.not.include(at('erp.integration'));
  });

  it('through the real sf: sf integration user list -o emu --json', async () => {
    const run = await e2e.sf(['integration', 'user', 'list', '-o', 'emu', '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(0);
    const { status, result } = run.json as Envelope;
    expect(status).to.equal(0);
    expect(result.users.map((u) => u.username)).to.deep.equal(INTEGRATION_USERS);
  });

  it('through the real sf: sf integration user --help lists the commands', async () => {
    const run = await e2e.sf(['integration', 'user', '--help']);
    expect(run.exitCode, describeResult(run)).to.equal(0);
    expect(run.stdout).to.include('integration user list');
  });

  it('an expired session: exit 1, says how to log in again (last: the session stays expired)', async () => {
    e2e.emu.expireSession();
    const run = await e2e.run(['integration', 'user', 'list', '-o', 'emu', '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(1);
    const error = run.json as ErrorEnvelope;
    expect(error.status).to.equal(1);
    expect(error.name).to.equal('SessionExpiredError');
    expect(error.message).to.include(e2e.emu.username);
    expect(error.actions?.join('\n')).to.include('sf org login');
    expect(run.stdout + run.stderr).to.not.match(/\n\s+at .+\(.+:\d+:\d+\)/);
  });
});
