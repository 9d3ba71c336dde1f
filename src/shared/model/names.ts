/**
 * "Did you mean …?" for usernames: the one home of username suggestions (audit --user, lifecycle -u,
 * display -u). Salesforce usernames look like email addresses and every user of an org often shares the
 * domain, so a close username is one with the same domain and a close local part; failing that, the closest
 * whole username.
 */
import { closeMatches } from '../grants/suggest.js';
import { likePrefix, likeSuffix } from '../soql.js';

const split = (u: string): [string, string] => {
  const at = u.lastIndexOf('@');
  return at < 0 ? [u, ''] : [u.slice(0, at), u.slice(at).toLowerCase()];
};

/** Usernames close to `name`: same domain, close local part; else the one closest whole username. */
export function similarUsernames(name: string, usernames: readonly string[]): string[] {
  const [local, domain] = split(name);
  const byLocal = new Map(usernames.filter((u) => split(u)[1] === domain).map((u) => [split(u)[0], u]));
  const near = closeMatches(local, byLocal.keys()).flatMap((l) => byLocal.get(l) ?? []);
  return near.length > 0 ? near : closeMatches(name, usernames, 1);
}

/**
 * A query for the usernames worth comparing with `names` (read only after a name was not found, so a
 * correct command pays nothing): the users of the names' domains, plus those with the same local part (a
 * misspelt domain) or, for a name without "@", starting with it. At most 2000 rows (one page).
 */
export function usernameCandidatesQuery(names: readonly string[]): string {
  const conditions = new Set<string>();
  for (const name of names) {
    const [local, domain] = split(name.toLowerCase());
    if (domain) {
      conditions.add(`Username LIKE ${likeSuffix(domain)}`);
      conditions.add(`Username LIKE ${likePrefix(`${local}@`)}`);
    } else conditions.add(`Username LIKE ${likePrefix(local.slice(0, 3))}`);
  }
  return `SELECT Username FROM User WHERE ${[...conditions].join(' OR ')} ORDER BY Username LIMIT 2000`;
}
