// Preloaded into a measured child process (node --require): on exit, write its peak RSS (bytes) and
// the CPU time of all its threads (µs, user + system) to the file named by IPASS_BENCH_RSS_FILE.
// Used only by the benchmarks. CommonJS, so that preloading it starts no thread pool.
const { writeFileSync } = require('node:fs');

const out = process.env.IPASS_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    writeFileSync(out, `${process.resourceUsage().maxRSS * 1024} ${cpu.user + cpu.system}`);
  });
}
