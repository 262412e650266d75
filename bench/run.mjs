// `npm run bench`: run every bench/*.bench.mjs in turn (or only those named on the command line)
// and print their figures. Benchmarks never assert on speed; they report.
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2).filter((a) => a !== '--');
const dir = new URL('.', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
console.log(`ipass benchmarks on Node ${process.version}, ${new Date().toISOString()}`);
for (const f of files) {
  console.log(`\n## ${f.replace('.bench.mjs', '')}`);
  const mod = await import(new URL(f, dir));
  await mod.default();
}
