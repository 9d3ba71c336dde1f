/**
 * A command's spinner around the library call it waits for (create, assign): the spinner stops when the call
 * settles, saying `failed` when it throws, so an error never follows a spinner left running or one that said
 * "done". No oclif import: the spinner is passed in (SfCommand's `this.spinner`).
 */
export type SpinnerStop = { stop(message?: string): void };

/** Awaits `work`; then stops the spinner, plainly on success, with `failed` on an error (rethrown as it is). */
export async function stopSpinnerWhenDone<T>(spinner: SpinnerStop, failed: string, work: Promise<T>): Promise<T> {
  let value: T;
  try {
    value = await work;
  } catch (error) {
    spinner.stop(failed);
    throw error;
  }
  spinner.stop();
  return value;
}
