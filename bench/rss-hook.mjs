// Preloaded into a measured child process (node --import): on exit, write its peak RSS (bytes)
// to the file named by IPASS_BENCH_RSS_FILE. Used only by the benchmarks.
import { writeFileSync } from 'node:fs';

const out = process.env.IPASS_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS * 1024));
  });
}
