// Ask a yes/no question on the terminal. Only "yes" confirms, as with Terraform.
import { createInterface } from 'node:readline/promises';
import type { Io } from './io.js';

export async function confirm(io: Io, question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: io.stdout as NodeJS.WritableStream });
  try {
    const answer = await rl.question(`${question} Only 'yes' is accepted: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}
