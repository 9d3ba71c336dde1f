import { expect } from 'chai';
import { stopSpinnerWhenDone } from '../../src/shared/spinner.js';

describe('stopSpinnerWhenDone (create and assign)', () => {
  const recorder = (): { stops: Array<string | undefined>; stop(message?: string): void } => {
    const stops: Array<string | undefined> = [];
    return { stops, stop: (message?: string) => stops.push(message) };
  };

  it('returns the value and stops the spinner plainly once', async () => {
    const spinner = recorder();
    expect(await stopSpinnerWhenDone(spinner, 'failed', Promise.resolve(42))).to.equal(42);
    expect(spinner.stops).to.deep.equal([undefined]);
  });

  it('stops with the failed text once and rethrows the same error', async () => {
    const spinner = recorder();
    const error = new Error('boom');
    let caught: unknown;
    await stopSpinnerWhenDone(spinner, 'failed', Promise.reject(error)).catch((e: unknown) => (caught = e));
    expect(caught).to.equal(error);
    expect(spinner.stops).to.deep.equal(['failed']);
  });
});
