// Forked by bench/cpu.mjs: the crypto floor of one exchange, i.e. the CPU time of one RSA-2048 sign
// and one verify (node:crypto, KeyObjects) over a createPass-shaped request, the work no client or
// server can avoid (this process does nothing else, so its CPU time is that one thread's). It samples
// in short rounds while a measured run goes on, so the floor is taken under the same load as the
// figures it is compared with, and reports the medians when asked.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { median, ownCpuNs } from './cpu.mjs';

const SIGNS = 8;
const VERIFIES = 40;
const EVERY_MS = 200;
const MIN_ROUNDS = 7;

const privateKey = createPrivateKey(readFileSync(process.argv[2] ?? ''));
const publicKey = createPublicKey(privateKey);
const body = JSON.stringify({
  merchantId: '2160482913305521',
  userId: '2160000000000042',
  templateCode: '82027010100135000000000000000001',
  bizSerialId: 'bench/giveaway/0000000000000042',
  bizSerialType: 'OUT_PLAT_FORM',
  startDate: 1_798_732_800_000,
  endDate: 1_806_508_800_000,
  bizCreate: 1_798_732_800_000,
  codeInfo: { $codemsg$: 'BENCH-C42', $codevalue$: 'BENCH-C42' },
  dataInfo: { en_US: { $shopname$: 'Bench shop', $username$: 'User 42' } },
});
const content = `POST /api/open/alipay/v1/ipass/pass/manage/createPass\nSANDBOX_3F2A9C0D11B7E6A4.2027-01-01T00:00:00+08:00.${body}`;
// As the client and the sandbox do it: a fresh Buffer of the content string per operation.
const signOnce = () => sign('sha256', Buffer.from(content, 'utf8'), privateKey);
const signature = signOnce();
const verifyOnce = () => {
  if (!verify('sha256', Buffer.from(content, 'utf8'), publicKey, signature)) throw new Error('no verify');
};

const signs = [];
const verifies = [];
function round() {
  const t0 = ownCpuNs();
  for (let i = 0; i < SIGNS; i++) signOnce();
  const t1 = ownCpuNs();
  for (let i = 0; i < VERIFIES; i++) verifyOnce();
  const t2 = ownCpuNs();
  signs.push((t1 - t0) / 1000 / SIGNS);
  verifies.push((t2 - t1) / 1000 / VERIFIES);
}

for (let i = 0; i < 10; i++) signOnce();
for (let i = 0; i < 50; i++) verifyOnce();
const timer = setInterval(round, EVERY_MS);
process.on('message', () => {
  clearInterval(timer);
  while (signs.length < MIN_ROUNDS) round();
  const sorted = [...signs].sort((a, b) => a - b);
  const quartile = (q) => sorted[Math.floor(q * (sorted.length - 1))];
  process.send(
    {
      signUs: median(signs),
      verifyUs: median(verifies),
      rounds: signs.length,
      signQuartiles: [quartile(0.25), quartile(0.75)],
    },
    () => process.exit(0),
  );
});
process.send('ready');
