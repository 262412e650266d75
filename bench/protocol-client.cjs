// Run by protocol.bench.mjs in a process of its own: the API client of one build (argv[2], a
// checkout with dist/) issuing createPass calls to a sandbox, told what to do over IPC, reporting the
// CPU time of its own threads per run. CommonJS, so the thread-pool size is set before the pool starts.
const { readdirSync, readFileSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const { join } = require('node:path');

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));

function threadsNs() {
  const out = { main: 0, others: 0 };
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      if (tid === String(process.pid)) out.main += ns;
      else out.others += ns;
    } catch {}
  }
  return out;
}

let client;
let templateCode;

async function issue(prefix, count, concurrency) {
  let next = 0;
  let failed = 0;
  let retried = 0;
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
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { failed, retried };
}

async function setup({ info, concurrency }) {
  const { createPrivateKey, createPublicKey } = require('node:crypto');
  const { IpassClient } = await import(join(process.argv[2], 'dist/api/client.js'));
  client = new IpassClient({
    baseUrl: info.url,
    clientId: info.clientId,
    merchantId: info.merchantId,
    privateKey: createPrivateKey(readFileSync(info.privateKeyPath)),
    keyVersion: info.keyVersion,
    alipayPublicKey: createPublicKey(readFileSync(info.sandboxPublicKeyPath)),
    timeoutMs: 10_000,
    maxRetries: 2,
    concurrency,
    requestsPerSecond: Number.POSITIVE_INFINITY,
  });
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
  templateCode = created.data.templateCode;
  return { pool: process.env.UV_THREADPOOL_SIZE };
}

async function run({ prefix, count, concurrency }) {
  const before = threadsNs();
  const started = performance.now();
  const outcome = await issue(prefix, count, concurrency);
  const wallMs = performance.now() - started;
  const after = threadsNs();
  return {
    ...outcome,
    wallMs,
    mainUs: (after.main - before.main) / 1000 / count,
    othersUs: (after.others - before.others) / 1000 / count,
  };
}

process.on('message', (message) => {
  const work =
    message.type === 'setup'
      ? setup(message)
      : message.type === 'run'
        ? run(message)
        : client.close().then(() => ({ closed: true }));
  work.then(
    (result) => process.send({ ok: true, result }, () => message.type === 'close' && process.exit(0)),
    (error) => process.send({ ok: false, error: String(error?.stack ?? error) }),
  );
});
