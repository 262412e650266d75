// "Did you mean …?" suggestions: the candidate with the smallest edit distance, if close enough.

export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(above + 1, (prev[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return prev[b.length] ?? 0;
}

/** Words longer than this get no suggestion: the edit distance costs the product of the lengths. */
export const MAX_SUGGESTED_LENGTH = 100;

/** The closest candidate (case-insensitive), or undefined when none is within a third of the length. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > MAX_SUGGESTED_LENGTH) return undefined;
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (c.length > MAX_SUGGESTED_LENGTH) continue;
    const lc = c.toLowerCase();
    const d =
      lc.startsWith(w) || w.startsWith(lc) ? Math.abs(lc.length - w.length) * 0.5 : editDistance(w, lc);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.ceil(word.length / 3)) ? best : undefined;
}
