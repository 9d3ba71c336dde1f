import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';

describe('e2e harness', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E();
  });

  after(async () => {
    await e2e?.close();
  });

  it('logs the real sf in to the emulator under the alias emu', async () => {
    const result = await e2e.sf(['org', 'display', '-o', 'emu', '--json']);
    expect(result.exitCode, describeResult(result)).to.equal(0);
    const json = result.json as { status: number; result: { username: string; instanceUrl: string; connectedStatus: string } };
    expect(json.status).to.equal(0);
    expect(json.result.username).to.equal(e2e.emu.username);
    expect(json.result.connectedStatus).to.equal('Connected');
  });

  it('never lets the access token through in captured output', async () => {
    const result = await e2e.sf(['org', 'display', '-o', 'emu', '--json', '--verbose']);
    expect(result.exitCode, describeResult(result)).to.equal(0);
    expect(result.stdout).to.not.include(e2e.emu.accessToken);
    expect(result.stdout).to.include('<redacted>');
  });
});
