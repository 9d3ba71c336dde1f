/** Salesforce record Ids: 15-character case-sensitive bodies with the 3-character case-safe suffix. */

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BODY_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Adds the case-safe checksum to a 15-character Id; returns an 18-character Id unchanged. */
export function to18(id: string): string {
  if (id.length === 18) return id;
  if (id.length !== 15) throw new Error(`not a Salesforce Id: ${id}`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') flags += 1 << i;
    }
    suffix += SUFFIX_CHARS.charAt(flags);
  }
  return id + suffix;
}

/** True when the string has the shape of a 15- or 18-character Id with a valid checksum. */
export function isValidId(id: string): boolean {
  if (!/^[a-zA-Z0-9]{15}([A-Z0-5]{3})?$/.test(id)) return false;
  return id.length === 15 || to18(id.slice(0, 15)) === id;
}

/**
 * A deterministic Id: key prefix (3) + pod "0" + a base-62 serial padded to 11 characters, then the checksum.
 * `makeId('005', 1)` → `0050000000000001AAA`-shaped.
 */
export function makeId(keyPrefix: string, serial: number): string {
  let n = serial;
  let body = '';
  while (n > 0) {
    body = BODY_CHARS.charAt(n % 62) + body;
    n = Math.floor(n / 62);
  }
  return to18(keyPrefix + '0' + body.padStart(11, '0'));
}

/** Compares two Ids of either length. */
export function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}
