/**
 * Salesforce record Ids: the one home for Id comparison (use it for every Id comparison in src/).
 *
 * An Id is 15 characters, case-sensitive (`005Ab...` and `005aB...` are different records), or the same
 * 15 characters followed by a 3-character case-safe suffix: each suffix character encodes which of 5 body
 * characters are upper case, so an 18-character Id can be compared without regard to case. The API returns
 * 18-character Ids; users and metadata often carry 15-character ones. Never compare Ids with `===`.
 */

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_SHAPE = /^[a-zA-Z0-9]{15}([a-zA-Z0-5]{3})?$/;

/**
 * The case-sensitive 15-character form of an Id. An 18-character Id's body takes its case from the suffix
 * (so `id15` of an upper- or lower-cased 18-character Id is still right); anything that is not an Id's
 * shape is returned unchanged, so comparing it falls back to plain equality.
 */
export function id15(id: string): string {
  if (!ID_SHAPE.test(id)) return id;
  return id.length === 15 ? id : restoreCase(id);
}

/** True when two Ids, each of 15 or 18 characters, name the same record. */
export function sameId(a: string, b: string): boolean {
  return id15(a) === id15(b);
}

/** The 15-character body of an 18-character Id with each letter's case as its suffix records it. */
function restoreCase(id18: string): string {
  const suffix = id18.slice(15).toUpperCase();
  let body = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const flags = SUFFIX_CHARS.indexOf(suffix.charAt(chunk));
    for (let i = 0; i < 5; i++) {
      const c = id18.charAt(chunk * 5 + i);
      body += flags & (1 << i) ? c.toUpperCase() : c.toLowerCase();
    }
  }
  return body;
}
