// Concurrency and requests-per-second limits. Rates are checked in virtual time (an injected clock
// and sleep); nothing here depends on how fast the machine is.
import { afterEach, describe, expect, it } from 'vitest';
import { IpassClient, type IpassClientOptions } from './client.js';
import { type CreatePassRequest, ENDPOINT_PATHS } from './endpoints.js';
import { defaultBurst, TokenBucket } from './rate-limit.js';
import { formatRequestTime } from './request-time.js';
import { alipay, clientKey } from './testing/client-fixtures.js';
import { MockGateway } from './testing/mock-gateway.js';

const issued = JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, passId: 'P1' });
const unknown = JSON.stringify({ result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' } });

const pass = (i: number): CreatePassRequest => ({
  userId: `2160220037${String(i).padStart(6, '0')}`,
  templateCode: 'T1',
  bizSerialId: `batch/${i}`,
  bizSerialType: 'OUT_PLAT_FORM',
  startDate: 1,
  endDate: 2,
  bizCreate: 1,
  codeInfo: { $codevalue$: String(i) },
});

/** Virtual time: sleep() parks a timer; advance() jumps to the earliest one. */
function virtualClock(startMs: number) {
  let now = startMs;
  const timers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => new Date(now),
    ms: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    sleeping: () => timers.length,
    advance() {
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) return;
      now = Math.max(now, next.at);
      next.resolve();
    },
  };
}

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function setup(overrides: Partial<IpassClientOptions>) {
  const gw = new MockGateway({ signingKey: alipay.privateKey });
  gateway = gw;
  const client = new IpassClient({
    baseUrl: gw.origin,
    clientId: 'CLIENT_1',
    merchantId: 'M1',
    privateKey: clientKey,
    keyVersion: 1,
    alipayPublicKey: alipay.publicKey,
    timeoutMs: 5_000,
    maxRetries: 3,
    concurrency: 100,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    dispatcher: gw.agent,
    random: () => 0,
    sleep: async () => {},
    ...overrides,
  });
  const path = ENDPOINT_PATHS.createPass;
  /** Reply `text` to the next `times` createPass requests, holding each one until `hold` resolves. */
  const reply = (text: string, times: number, onArrive: () => Promise<void> | void = () => {}) =>
    gw.agent
      .get(gw.origin)
      .intercept({ path, method: 'POST' })
      .reply(
        200,
        async () => {
          await onArrive();
          return text;
        },
        // Signed at the client's (possibly virtual) time, as a gateway answering at once would.
        {
          headers: gw.signedHeaders(
            path,
            'CLIENT_1',
            text,
            undefined,
            overrides.now ? formatRequestTime(overrides.now()) : undefined,
          ),
        },
      )
      .times(times);
  return { gw, client, reply };
}

describe('concurrency', () => {
  it('never has more than `concurrency` requests in flight, retries included', async () => {
    const { client, reply } = setup({ concurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    const hold = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
    };
    reply(unknown, 5, hold);
    reply(issued, 20, hold);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.createPass(pass(i))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.reduce((n, r) => n + r.attempts, 0)).toBe(25);
    expect(peak).toBe(3);
  });
});

describe('requests per second', () => {
  it('starts no more than burst + rate × elapsed requests, retries included', async () => {
    const clock = virtualClock(Date.UTC(2027, 4, 22));
    const rate = 20;
    const burst = defaultBurst(rate);
    const starts: number[] = [];
    const { client, reply } = setup({ requestsPerSecond: rate, now: clock.now, sleep: clock.sleep });
    reply(unknown, 10, () => void starts.push(clock.ms()));
    reply(issued, 40, () => void starts.push(clock.ms()));
    const n = 40;
    let done = 0;
    const calls = Array.from({ length: n }, (_, i) => client.createPass(pass(i)).finally(() => done++));
    // Let real work settle, then jump virtual time: the clock moves only while every call sleeps.
    while (done < n) {
      await new Promise((r) => setTimeout(r, 1));
      if (clock.sleeping() === n - done && done < n) clock.advance();
    }
    const results = await Promise.all(calls);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(starts).toHaveLength(50);
    const t = [...starts].sort((a, b) => a - b);
    for (let i = 0; i < t.length; i++) {
      for (let j = i + 1; j < t.length; j++) {
        const elapsed = ((t[j] as number) - (t[i] as number)) / 1000;
        expect(j - i + 1).toBeLessThanOrEqual(burst + rate * elapsed + 1e-6);
      }
    }
    // ...and it is not slower than the bound: the last start is when its token accrued.
    const span = ((t[t.length - 1] as number) - (t[0] as number)) / 1000;
    expect(span).toBeCloseTo((50 - burst) / rate, 1);
  });

  it('token bucket: burst at once, then evenly spaced', async () => {
    const clock = virtualClock(0);
    const bucket = new TokenBucket(10, 3, { now: clock.ms, sleep: clock.sleep });
    const waits: (Promise<void> | undefined)[] = Array.from({ length: 6 }, () => bucket.take());
    expect(waits.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    const granted: number[] = [];
    for (const w of waits.slice(3)) void w?.then(() => granted.push(clock.ms()));
    for (let k = 0; k < 3; k++) {
      clock.advance();
      await Promise.resolve();
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(granted).toEqual([100, 200, 300]);
    expect(defaultBurst(0.5)).toBe(1);
    expect(defaultBurst(100)).toBe(10);
  });
});
