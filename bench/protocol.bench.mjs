// Signed requests per second: the API client (dist/) in this process against a standalone sandbox
// process on 127.0.0.1, concurrency 16, createPass with 0 ms and 20 ms injected latency, next to this
// machine's RSA-2048 sign rate (node:crypto, one thread and the libuv pool). Figures only.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, figure, root, startSandboxProcess } from './lib.mjs';

const REQUESTS = Number(process.env.IPASS_BENCH_PROTOCOL_REQUESTS ?? 4000);
const WARMUP = 300;
const CONCURRENCY = 16;
const LATENCY_MS = 20;
const SIGN_SECONDS = 1.5;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** A content string shaped like a signed createPass request. */
function sampleContent() {
  const body = JSON.stringify({
    merchantId: '2160482913305521',
    userId: '2160220037090534',
    templateCode: '82027010100135000000000000000001',
    bizSerialId: 'gift-2027-000001',
    bizSerialType: 'OUT_PLAT_FORM',
    startDate: 1_798_732_800_000,
    endDate: 1_806_508_800_000,
    bizCreate: 1_798_732_800_000,
    codeInfo: { $codemsg$: '9123912839123712893', $codevalue$: '9123912839123712893' },
    dataInfo: { en_US: { $shopname$: 'Demo shop' } },
  });
  return Buffer.from(
    `POST /api/open/alipay/v1/ipass/pass/manage/createPass\nSANDBOX_3F2A9C0D11B7E6A4.2027-01-01T00:00:00+08:00.${body}`,
  );
}

/** Signatures per second: synchronous on the main thread, and async on the thread pool (64 in flight). */
async function signRates() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = sampleContent();
  const signature = sign('sha256', data, privateKey);
  const deadline = (s) => performance.now() + s * 1000;

  let n = 0;
  let started = performance.now();
  const cpu = ownCpuSeconds();
  for (const end = deadline(SIGN_SECONDS); performance.now() < end; n++) sign('sha256', data, privateKey);
  const single = n / ((performance.now() - started) / 1000);
  // CPU time does not shrink when other processes share the cores, wall-clock rates do.
  const cpuMsPerSign = ((ownCpuSeconds() - cpu) * 1000) / n;

  n = 0;
  started = performance.now();
  for (const end = deadline(SIGN_SECONDS / 3); performance.now() < end; n++)
    verify('sha256', data, publicKey, signature);
  const verifySingle = n / ((performance.now() - started) / 1000);

  n = 0;
  started = performance.now();
  const end = deadline(SIGN_SECONDS);
  const worker = () =>
    new Promise((resolve, reject) => {
      const next = () =>
        sign('sha256', data, privateKey, (error) => {
          if (error) return reject(error);
          n += 1;
          if (performance.now() < end) next();
          else resolve();
        });
      next();
    });
  await Promise.all(Array.from({ length: 64 }, worker));
  const pool = n / ((performance.now() - started) / 1000);
  return { single, pool, verifySingle, cpuMsPerSign };
}

/** `count` createPass calls from CONCURRENCY workers; wall time, outcomes and CPU of both processes. */
async function issue(client, templateCode, sandboxPid, prefix, count) {
  let next = 0;
  let failed = 0;
  let retried = 0;
  const cpu0 = { own: ownCpuSeconds(), sandbox: cpuSeconds(sandboxPid) };
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const result = await client.createPass({
        userId: '2160220037090534',
        templateCode,
        bizSerialId: `${prefix}-${i}`,
        bizSerialType: 'OUT_PLAT_FORM',
        startDate: Date.now() + 86_400_000,
        endDate: Date.now() + 30 * 86_400_000,
        bizCreate: Date.now(),
        codeInfo: { $codemsg$: `code-${i}`, $codevalue$: `code-${i}` },
        dataInfo: { en_US: { $shopname$: 'Demo shop' } },
      });
      if (!result.ok) failed += 1;
      if (result.attempts > 1) retried += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: count / seconds,
    seconds,
    failed,
    retried,
    clientCpuMs: ((ownCpuSeconds() - cpu0.own) * 1000) / count,
    sandboxCpuMs: ((cpuSeconds(sandboxPid) - cpu0.sandbox) * 1000) / count,
  };
}

export default async function protocolBench() {
  const clientModule = join(root, 'dist/api/client.js');
  if (!existsSync(clientModule)) {
    console.log('  dist/ is missing: run `npm run build` first');
    return;
  }
  const { IpassClient } = await import(clientModule);
  const cores = availableParallelism();
  figure('cores (availableParallelism) / load average', `${cores} / ${load()}`);

  const rates = await signRates();
  figure('RSA-2048 sign, 1 thread (sync crypto.sign)', `${rates.single.toFixed(0)} /s`);
  figure('RSA-2048 sign, thread pool (async, 64 in flight)', `${rates.pool.toFixed(0)} /s`);
  figure('RSA-2048 verify, 1 thread', `${rates.verifySingle.toFixed(0)} /s`);
  figure('RSA-2048 sign, CPU time per signature', `${rates.cpuMsPerSign.toFixed(2)} ms`);
  figure(
    '  ceiling at 2 signatures per request',
    `${(rates.pool / 2).toFixed(0)} requests/s (thread pool rate / 2)`,
  );
  figure(
    '  same, from CPU time on all cores if idle',
    `${(cores / ((2 * rates.cpuMsPerSign) / 1000)).toFixed(0)} requests/s`,
  );

  const work = join(root, 'bench/.work', `protocol-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const sandbox = await startSandboxProcess(work);
  const { info } = sandbox;
  const client = new IpassClient({
    baseUrl: info.url,
    clientId: info.clientId,
    merchantId: info.merchantId,
    privateKey: createPrivateKey(readFileSync(info.privateKeyPath)),
    keyVersion: info.keyVersion,
    alipayPublicKey: createPublicKey(readFileSync(info.sandboxPublicKeyPath)),
    timeoutMs: 10_000,
    maxRetries: 2,
    concurrency: CONCURRENCY,
    requestsPerSecond: Number.POSITIVE_INFINITY,
  });
  try {
    const now = Date.now();
    const created = await client.createTemplate({
      requestId: `bench-${process.pid}`,
      type: 'COUPON',
      product: 'GIFT_CARD',
      codeType: 'qrcode',
      codeStandard: 'QRCODE',
      stock: 1_000_000,
      startDate: now + 86_400_000,
      endDate: now + 90 * 86_400_000,
      imageUrl: 'https://cdn.example.com/card.png',
      merchantLogo: 'https://cdn.example.com/logo.png',
      button: { btnType: 'usage', urlType: 'CODE_PAY_BTN' },
      localeInfo: { en_US: { name: 'Bench', description: 'Bench', shops: 'All', brandName: 'Bench' } },
      orderPageLink: 'alipayhk://platformapi/startapp?appId=2160003634300010',
      categories: ['Others'],
      exposure: 'hidden',
    });
    if (!created.ok) throw new Error(`createTemplate failed: ${created.failure.code}`);
    const { templateCode } = created.data;
    await issue(client, templateCode, sandbox.pid, 'warm', WARMUP);

    for (const latencyMs of [0, LATENCY_MS]) {
      await sandbox.setFaults({ latencyMs });
      const r = await issue(client, templateCode, sandbox.pid, `run${latencyMs}`, REQUESTS);
      figure(
        `createPass × ${REQUESTS}, concurrency ${CONCURRENCY}, latency ${latencyMs} ms`,
        `${r.perSecond.toFixed(0)} requests/s (${r.seconds.toFixed(2)} s, load ${load()})`,
      );
      if (r.failed > 0 || r.retried > 0) figure('  failed / retried', `${r.failed} / ${r.retried}`);
      figure(
        '  CPU per request: client / sandbox',
        `${r.clientCpuMs.toFixed(2)} ms / ${r.sandboxCpuMs.toFixed(2)} ms`,
      );
      figure('  of the 2-signature ceiling', `${((100 * r.perSecond) / (rates.pool / 2)).toFixed(0)} %`);
      if (latencyMs > 0) {
        const ideal = CONCURRENCY / (latencyMs / 1000);
        figure(
          `  of the ideal ${CONCURRENCY} / ${latencyMs} ms = ${ideal.toFixed(0)}/s`,
          `${((100 * r.perSecond) / ideal).toFixed(0)} %`,
        );
      }
    }
  } finally {
    await client.close();
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
