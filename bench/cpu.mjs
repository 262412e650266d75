// CPU time for the benchmarks, which run on machines shared with other work: wall-clock rates there
// say little, CPU time per thread (ns, /proc/.../schedstat) and ratios taken in one run say more.
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;

/** The 1-minute load average, printed beside every figure. */
export const load1 = () => loadavg()[0].toFixed(2);

/**
 * ns of CPU this process has used (getrusage, µs resolution, up to date). A process's own schedstat
 * lags by up to a scheduler tick while it runs, too coarse for rounds of a few milliseconds.
 */
export function ownCpuNs() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/**
 * CPU ns of every thread of `pid` so far: { main, others } (others: libuv pool, V8 helpers, GC).
 * A thread that ends takes its time with it; a Node process keeps its pool threads, so take the
 * difference of two readings of a live process.
 */
export function processThreadsNs(pid) {
  const out = { main: 0, others: 0 };
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  for (const tid of tids) {
    let ns;
    try {
      ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ns = ((Number(fields[11]) + Number(fields[12])) / 100) * 1e9;
      } catch {
        continue; // the thread ended between readdir and read
      }
    }
    if (tid === String(pid)) out.main += ns;
    else out.others += ns;
  }
  return out;
}

/** b − a of two processThreadsNs readings, in µs per `count` operations. */
export function perOpUs(a, b, count) {
  const main = (b.main - a.main) / 1000 / count;
  const others = (b.others - a.others) / 1000 / count;
  return { main, others, total: main + others };
}

/**
 * The crypto floor of one exchange (one RSA-2048 sign + one verify, node:crypto with KeyObjects, the
 * key read from `privateKeyPath`) as CPU µs of one thread, sampled in a process of its own in short
 * rounds (under 2 % of a core) for as long as the measured run lasts: the floor and the figures
 * compared with it are taken under the same load. Resolves once sampling runs; stop() gives the floor.
 */
export async function startCryptoFloor(privateKeyPath) {
  const child = fork(join(here, 'crypto-floor.mjs'), [privateKeyPath], { stdio: 'inherit' });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`crypto-floor.mjs exited with ${code}`)));
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('message', (floor) => resolve({ ...floor, totalUs: floor.signUs + floor.verifyUs }));
        child.send('stop');
      }),
  };
}

/** "305 µs (283 + 22; sign quartiles 270–296 µs, 40 rounds)" */
export function describeFloor(floor) {
  const [q1, q3] = floor.signQuartiles;
  return `${us(floor.totalUs)} (${floor.signUs.toFixed(0)} + ${floor.verifyUs.toFixed(0)}; sign IQR ${q1.toFixed(0)}–${q3.toFixed(0)}, ${floor.rounds} rounds)`;
}

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const us = (value) => `${value.toFixed(0)} µs`;
export const ratio = (value) => `${value.toFixed(2)}×`;
