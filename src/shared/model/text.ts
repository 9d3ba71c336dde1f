/**
 * Text shapes the plugin checks in user input: the one home of the email shape (also a username's shape)
 * and of control characters.
 */

/** name@domain.tld: no whitespace, one @, a dot in the domain, a last label without a dot. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/** Whether the value has the shape of an email address (Salesforce usernames have it too). */
export function isEmailShaped(value: string): boolean {
  return EMAIL_SHAPE.test(value);
}

/** C0 controls (tab, newline and carriage return included), DEL and C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** Whether the value holds a control character (none belongs in a name, email, alias or any other User field). */
export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

/** The value with each control character shown as \uXXXX, for an error message that must not print it raw. */
export function showControlCharacters(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001F\u007F-\u009F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
