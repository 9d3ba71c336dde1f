/**
 * The one way a secret (consumer secret, password) reaches disk: a file the user named, created with mode
 * 0600 and refused when it exists (unless `force`, which replaces it and sets 0600 again). Checked before
 * any request, written as soon as the secret is known. The secret is never returned, logged or printed.
 */
import { constants } from 'node:fs';
import { access, chmod, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'credentials');

/** The absolute path, after checking it can be written: refuses an existing file unless `force`, and a missing folder. */
export async function checkSecretFile(path: string, force: boolean): Promise<string> {
  const absolute = resolve(path);
  const exists = await stat(absolute).then(
    (s) => s,
    () => undefined
  );
  if (exists?.isDirectory()) throw messages.createError('error.SecretFileIsDirectory', [absolute]);
  if (exists && !force) throw messages.createError('error.SecretFileExists', [absolute]);
  try {
    await access(dirname(absolute), constants.W_OK);
  } catch {
    throw messages.createError('error.SecretFileFolder', [dirname(absolute)]);
  }
  return absolute;
}

/** Writes `secret` (one line) to a new 0600 file, or replaces it with `force`. */
export async function writeSecretFile(absolute: string, secret: string, force: boolean): Promise<void> {
  const handle = await open(absolute, force ? 'w' : 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${secret}\n`, 'utf8');
  } finally {
    await handle.close();
  }
  await chmod(absolute, 0o600);
}
