/** Close matches for misspelt names ("did you mean …?"). */

/** Levenshtein edit distance, case-insensitive. */
export function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[t.length];
}

/**
 * Up to `max` candidates close to `wanted`: within a third of its length in edits (at least 2), or
 * containing it / contained in it, case-insensitively; closest first.
 */
export function closeMatches(wanted: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const w = wanted.toLowerCase();
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of new Set(candidates)) {
    const n = name.toLowerCase();
    const d = distance(w, n);
    if (d <= limit) scored.push({ name, score: d });
    else if (w.length >= 3 && (n.includes(w) || w.includes(n))) scored.push({ name, score: limit + 1 });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((x) => x.name);
}
