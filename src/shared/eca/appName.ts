/**
 * External Client App API names (the one home of the rule, for `generate app -n` and for the app name
 * `create` suggests): ASCII letters, digits and single underscores, a letter first, no trailing underscore,
 * at most 80 characters (Salesforce's rule for metadata developer names).
 */

export const MAX_APP_NAME_LENGTH = 80;
const APP_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?=[A-Za-z0-9]))*$/;

/** True when `name` is a valid app API name. */
export function isValidAppName(name: string): boolean {
  return name.length <= MAX_APP_NAME_LENGTH && APP_NAME.test(name);
}

/**
 * A valid app API name made from any text (an integration's name, say): every run of other characters
 * becomes one underscore, a leading digit gets an `App_` prefix, and the result is cut to the maximum
 * length; `fallback` when nothing usable is left. `toAppName('billing sync (ERP)')` → `billing_sync_ERP`.
 */
export function toAppName(text: string, fallback = 'Integration_App'): string {
  let name = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '') return fallback;
  if (!/^[A-Za-z]/.test(name)) name = `App_${name}`;
  return name.slice(0, MAX_APP_NAME_LENGTH).replace(/_+$/, '');
}
