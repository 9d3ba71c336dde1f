import { expect } from 'chai';
import type { IntegrationUserListResult } from '../../src/commands/integration/user/list.js';
import { describeResult, startE2E, type E2E } from './harness.js';

const at = (name: string): string => `${name}@acme.example.com`;
const INTEGRATION_USERS = ['billing.sync', 'legacy.etl', 'old.integration', 'shared.connector', 'warehouse.sync'].map(at);

type Envelope = { status: number; result: IntegrationUserListResult; warnings?: string[] };
type ErrorEnvelope = { status: number; exitCode: number; name: string; message: string; actions?: string[] };

describe('e2e: integration user list by running users without some rights', function () {
  this.timeout(240_000);
  const runs: E2E[] = [];
  after(async () => {
    await Promise.all(runs.map((r) => r.close()));
  });

  for (const level of ['delegated-admin', 'auditor'] as const) {
    it(`--running-user ${level}: exit 0, every integration user with its grants, frozen null, one warning, 2 requests`, async () => {
      const e2e = await startE2E({ runningUser: level });
      runs.push(e2e);
      e2e.emu.resetRequestLog();
      const run = await e2e.run(['integration', 'user', 'list', '-o', 'emu', '--json']);
      expect(run.exitCode, describeResult(run)).to.equal(0);
      const { result, warnings } = run.json as Envelope;
      expect(result.users.map((u) => u.username)).to.deep.equal(INTEGRATION_USERS);
      expect(result.users.map((u) => u.frozen)).to.deep.equal(INTEGRATION_USERS.map(() => null));
      expect(result.users.find((u) => u.username === at('billing.sync'))?.permissionSets).to.include('Billing_Sync_Access');
      expect((warnings ?? []).filter((w) => /frozen state/i.test(w))).to.have.length(1);
      expect(e2e.emu.requests.filter((r) => r.path.endsWith('/composite'))).to.have.length(2);

      const text = await e2e.run(['integration', 'user', 'list', '-o', 'emu']);
      expect(text.exitCode, describeResult(text)).to.equal(0);
      expect(text.stdout).to.include(at('billing.sync'));
      expect(text.stderr).to.match(/frozen state of these users is unknown/i);
    });
  }

  it('--running-user standard: exit 1, names the missing permissions and what they are for, nothing listed', async () => {
    const e2e = await startE2E({ runningUser: 'standard' });
    runs.push(e2e);
    const run = await e2e.run(['integration', 'user', 'list', '-o', 'emu', '--json']);
    expect(run.exitCode, describeResult(run)).to.equal(1);
    const error = run.json as ErrorEnvelope;
    expect(error.name).to.equal('MissingRightsError');
    expect(error.message).to.include('View Setup and Configuration, Assign Permission Sets or Manage Users: needed to read which permission sets and groups users hold');
    expect(error.actions?.join('\n')).to.include('Ask a Salesforce admin');
    expect(JSON.stringify(run.json)).to.not.include(at('billing.sync'));
  });
});
