/**
 * Command tests in process against the org emulator: TestContext stubs the auth files and
 * Connection.prototype.request, and every request the command makes is handed to a real Connection to the
 * emulator (captured before the stub), so the org answers as in the e2e tests. Call it inside a `describe`:
 * it registers that block's beforeEach / afterEach.
 */
import { Connection } from '@salesforce/core';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import type { AnyJson } from '@salesforce/ts-types';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { connectTo } from './connection.js';

// eslint-disable-next-line @typescript-eslint/unbound-method -- only ever called with .call(realConnection, …)
const realRequest = Connection.prototype.request;

export type CommandOrg = {
  /** The mock org the command is pointed at (`--target-org testOrg.username`). */
  testOrg: MockTestOrgData;
  /** The stubbed command output of the current test. */
  ux: () => ReturnType<typeof stubSfCommandUx>;
  /** Starts the emulator (default seed plus `options`) that answers the command's requests in this test. */
  org: (options?: EmulatorOptions) => Promise<Emulator>;
};

export function commandAgainstEmulator(opts: { stubSpinner?: boolean } = {}): CommandOrg {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let ux: ReturnType<typeof stubSfCommandUx> | undefined;
  let emu: Emulator | undefined;
  let real: Connection | undefined;

  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    ux = stubSfCommandUx($$.SANDBOX);
    if (opts.stubSpinner) stubSpinner($$.SANDBOX);
    $$.fakeConnectionRequest = (request: AnyJson, options?: AnyJson): Promise<AnyJson> => {
      if (!real) return Promise.reject(new Error('no emulator started'));
      // The command's connection names the mock org's instance; the emulator's is the real one.
      const rewrite = (url: string): string => url.replace(/^https?:\/\/[^/]+/, '');
      const r = request as string | { url: string };
      const req = typeof r === 'string' ? rewrite(r) : { ...r, url: rewrite(r.url) };
      type Args = Parameters<Connection['request']>;
      return realRequest.call(real, req as Args[0], options as Args[1]) as Promise<AnyJson>;
    };
  });

  afterEach(async () => {
    process.exitCode = undefined;
    await emu?.close();
    emu = undefined;
    real = undefined;
  });

  return {
    testOrg,
    ux: () => {
      if (!ux) throw new Error('ux is stubbed in beforeEach');
      return ux;
    },
    org: async (options: EmulatorOptions = {}): Promise<Emulator> => {
      emu = await startEmulator({ seed: 'default', ...options });
      real = await connectTo(emu, '62.0');
      emu.resetRequestLog();
      return emu;
    },
  };
}
