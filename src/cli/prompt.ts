// Ask a yes/no question on the terminal. "yes" or "y" (any case) confirms; anything else does not.
import { createInterface } from 'node:readline/promises';
import type { Io } from './io.js';

export async function confirm(io: Io, question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: io.stdout as NodeJS.WritableStream });
  try {
    const answer = await rl.question(`${question} Type yes to confirm: `);
    return isYes(answer);
  } finally {
    rl.close();
  }
}

export function isYes(answer: string): boolean {
  const a = answer.trim().toLowerCase();
  return a === 'yes' || a === 'y';
}
