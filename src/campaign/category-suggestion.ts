// The hint for an unknown category: people write the English or Chinese label ("Coffee & Tea",
// "咖啡茶飲"), a part of the code ("Coffee") or a near miss ("Cosmetic"); suggest the code they meant.
import type { ErrorObject } from 'ajv';
import { closest } from '../diagnostics/closest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { quote } from './message-words.js';

/** The category code `text` most likely means, given the codes and their "English · Chinese" labels. */
export function suggestCategory(
  text: string,
  codes: readonly string[],
  labels: readonly string[],
): string | undefined {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return undefined;
  for (const [i, label] of labels.entries()) {
    if (label.split(' · ').some((w) => w.toLowerCase() === wanted)) return codes[i];
  }
  const near = closest(wanted, codes);
  if (near) return near;
  const english = labels.map((l) => l.split(' · ')[0] ?? l);
  const label = closest(wanted, english);
  if (label) return codes[english.indexOf(label)];
  // A word of the code or of its label ("Coffee", "Tea", "Watches").
  const index = [...codes, ...english].findIndex(
    (c) => wanted.length >= 3 && c.toLowerCase().includes(wanted),
  );
  return index === -1 ? undefined : codes[index % codes.length];
}

export function unknownCategory(e: ErrorObject, value: unknown): Partial<Diagnostic> {
  const schema = e.parentSchema as { enum?: string[]; enumDescriptions?: string[] } | undefined;
  const codes = schema?.enum ?? [];
  const labels = schema?.enumDescriptions ?? [];
  const guess = typeof value === 'string' ? suggestCategory(value, codes, labels) : undefined;
  const described = (code: string): string => {
    const label = labels[codes.indexOf(code)];
    return label ? `"${code}" (${label})` : `"${code}"`;
  };
  return {
    message: `${quote(value)} is not a category code.`,
    hint: `${guess ? `Did you mean ${described(guess)}? ` : ''}Codes: ${codes.join(', ')}.`,
  };
}
