// How a path is shown to a person: relative to the working directory when inside it. A relative path
// that starts with anything but a letter, a digit, `.` or `_` is shown as `./path`, so a file name
// such as `::warning …` or `# Heading` never starts a line of output, a list item or a heading.
import { isAbsolute, relative, sep } from 'node:path';

const PLAIN_START = /^[\p{L}\p{N}._]/u;

export function displayPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  const inside = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  if (!inside) return absolute;
  return PLAIN_START.test(rel) ? rel : `.${sep}${rel}`;
}
