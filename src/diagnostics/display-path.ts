// How a path is shown to a person: relative to the working directory when inside it.
import { isAbsolute, relative } from 'node:path';

export function displayPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}
