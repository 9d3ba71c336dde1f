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
    // sf hides the token unless asked to show it: ask, so that only the harness redaction stands in the way.
    const result = await e2e.sf(['org', 'display', '-o', 'emu', '--json'], { env: { SF_TEMP_SHOW_SECRETS: 'true' } });
    expect(result.exitCode, describeResult(result)).to.equal(0);
    expect(result.stdout).to.not.include(e2e.emu.accessToken);
    expect(result.stdout).to.include('<redacted>');
  });

  it('runs the plugin through bin/run.js with the same HOME and env', async () => {
    const result = await e2e.run(['integration', 'user', 'list', '--help']);
    expect(result.exitCode, describeResult(result)).to.equal(0);
    expect(result.stdout).to.include('--target-org');
    expect(e2e.env.HOME).to.equal(e2e.home);
    expect(e2e.env.SF_DISABLE_AUTOUPDATE).to.equal('true');
    expect(e2e.env.SF_AUTOUPDATE_DISABLE).to.equal('true');
  });
});
