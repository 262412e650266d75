// Where commands print. Colour and animation only on a TTY (and never with CI=true or NO_COLOR).
// Everything printed passes the output guard (output-guard.ts): no line can become a workflow command.
import type { Writable } from 'node:stream';
import { type Diagnostic, formatDiagnostic } from '../diagnostics/diagnostic.js';
import { type IpassError, redactSecrets } from '../diagnostics/errors.js';
import { escapeControl } from '../diagnostics/terminal-text.js';
import { inCi } from '../shared/ci.js';
import { guardOutput, type OutputKind } from './output-guard.js';

export interface Io {
  stdout: Writable;
  stderr: Writable;
  /** stdin and stdout are terminals and CI is not set: prompts and animation allowed. */
  interactive: boolean;
  color: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  const env = process.env;
  const tty = Boolean(process.stdout.isTTY) && !inCi(env);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: tty && Boolean(process.stdin.isTTY),
    color: tty && env.NO_COLOR === undefined && env.TERM !== 'dumb',
    cwd: process.cwd(),
    env,
  };
}

/** Write text as it is, through the output guard (`kind` says what the text is: see output-guard.ts). */
export function writeText(stream: Writable, text: string, kind: OutputKind = 'text'): void {
  stream.write(guardOutput(text, kind));
}

export function writeLine(stream: Writable, text = '', kind: OutputKind = 'text'): void {
  writeText(stream, `${text}\n`, kind);
}

const codes = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
  bold: 1,
  dim: 2,
} as const;
export type Colour = keyof typeof codes;

export function paint(io: Pick<Io, 'color'>, colour: Colour, text: string): string {
  return io.color ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}

export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    const text = formatDiagnostic(d);
    const coloured = io.color
      ? text.replace(
          / (error|warning) /,
          (_m, s: string) => ` ${paint(io, s === 'error' ? 'red' : 'yellow', s)} `,
        )
      : text;
    writeLine(io.stderr, coloured);
  }
}

/** Print a coded runtime error: what happened, why, and how to fix it (user text escaped). */
export function printError(io: Io, error: IpassError): void {
  writeLine(
    io.stderr,
    `${paint(io, 'red', 'error')} ${escapeControl(error.code)}: ${escapeControl(error.message)}`,
  );
  if (error.reason) writeLine(io.stderr, `  why: ${escapeControl(error.reason)}`);
  if (error.hint) writeLine(io.stderr, `  hint: ${escapeControl(error.hint)}`);
}

/** Print an unexpected exception as the bug it is. */
export function printBug(io: Io, error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeLine(
    io.stderr,
    `ipass: internal error (this is a bug in ipass, please report it):\n${redactSecrets(text)}`,
  );
}
