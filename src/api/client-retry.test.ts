// Retries of one call against a MockAgent gateway: U, HTTP 5xx/408/429, timeouts and socket errors are
// retried with capped back-off and the same body; F results and HTTP 4xx are not.
import { describe, expect, it } from 'vitest';
import { created, issued, pass, result, template, useGateway } from './testing/client-fixtures.js';

const setup = useGateway();

describe('retries', () => {
  it('U then S: retried with back-off, same body', async () => {
    const { gw, client, delays, events } = setup();
    gw.answer('createPass', { body: result('UNKNOWN_EXCEPTION', 'U') });
    gw.answer('createPass', { body: issued });
    const r = await client.createPass(pass);
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    expect(delays).toEqual([50]);
    expect(gw.requests[0]?.body).toBe(gw.requests[1]?.body);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      { type: 'retry', endpoint: 'createPass', attempt: 1, code: 'UNKNOWN_EXCEPTION', delayMs: 50 },
    ]);
  });

  it.each([['REQUEST_TRAFFIC_EXCEED_LIMIT'], ['SYSTEM_ERROR'], ['ANOTHER_U_CODE']])(
    '%s is retried',
    async (code) => {
      const { gw, client } = setup();
      gw.answer('createPass', { body: result(code, 'U') });
      gw.answer('createPass', { body: issued });
      expect(await client.createPass(pass)).toMatchObject({ ok: true, attempts: 2 });
    },
  );

  it('U until retries run out: unknown, in doubt, exponential capped back-off', async () => {
    const { gw, client, delays } = setup({ maxRetries: 5, random: () => 0.999999 });
    gw.answer('createPass', { body: result('UNKNOWN_EXCEPTION', 'U') }, 6);
    const r = await client.createPass(pass);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.attempts).toBe(6);
    expect(r.failure).toMatchObject({
      kind: 'unknown',
      code: 'UNKNOWN_EXCEPTION',
      inDoubt: true,
      priorAttemptInDoubt: true,
    });
    expect(delays).toEqual([99, 199, 399, 799, 999]);
    expect(gw.requests).toHaveLength(6);
  });
});

describe('retries: HTTP errors', () => {
  it('HTTP 500 then S', async () => {
    const { gw, client } = setup();
    gw.answer('createTemplate', { status: 500, body: 'oops', signing: 'none' });
    gw.answer('createTemplate', { body: created });
    expect(await client.createTemplate(template)).toMatchObject({ ok: true, attempts: 2 });
  });

  it('HTTP 503 until retries run out: in doubt', async () => {
    const { gw, client } = setup({ maxRetries: 1 });
    gw.answer('createTemplate', { status: 503, signing: 'none' }, 2);
    const r = await client.createTemplate(template);
    expect(!r.ok && r.failure).toMatchObject({
      kind: 'unknown',
      code: 'HTTP_503',
      httpStatus: 503,
      inDoubt: true,
    });
  });

  it('HTTP 400 is not retried and not in doubt', async () => {
    const { gw, client } = setup();
    gw.answer('createTemplate', { status: 400, body: 'bad', signing: 'none' });
    const r = await client.createTemplate(template);
    expect(r).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { kind: 'unknown', code: 'HTTP_400', inDoubt: false },
    });
  });

  it('HTTP 429 is retried, honouring Retry-After up to the cap', async () => {
    const { gw, client, delays } = setup();
    gw.answer('createPass', { status: 429, signing: 'none', headers: { 'Retry-After': '0' } });
    gw.answer('createPass', { status: 429, signing: 'none', headers: { 'Retry-After': '30' } });
    gw.answer('createPass', { body: issued });
    expect(await client.createPass(pass)).toMatchObject({ ok: true, attempts: 3 });
    expect(delays).toEqual([50, 1_000]);
  });
});

describe('retries: timeouts and connection errors', () => {
  it('timeout then S', async () => {
    const { gw, client } = setup({ timeoutMs: 30 });
    gw.answer('createPass', { body: issued, delayMs: 60_000 });
    gw.answer('createPass', { body: issued });
    const r = await client.createPass(pass);
    expect(r).toMatchObject({ ok: true, attempts: 2 });
  });

  it('timeouts until retries run out: TIMEOUT, in doubt', async () => {
    const { gw, client } = setup({ timeoutMs: 20, maxRetries: 1 });
    gw.answer('createPass', { body: issued, delayMs: 60_000 }, 2);
    const r = await client.createPass(pass);
    expect(!r.ok && r.failure).toMatchObject({ kind: 'unknown', code: 'TIMEOUT', inDoubt: true });
  });

  it('connection error then S', async () => {
    const { gw, client } = setup();
    gw.fail('createPass', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    gw.answer('createPass', { body: issued });
    expect(await client.createPass(pass)).toMatchObject({ ok: true, attempts: 2 });
  });

  it('connection refused every time: CONNECTION_ERROR, not in doubt (nothing was sent)', async () => {
    const { gw, client } = setup({ maxRetries: 2 });
    gw.fail(
      'createPass',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      3,
    );
    const r = await client.createPass(pass);
    expect(r).toMatchObject({
      ok: false,
      attempts: 3,
      failure: { code: 'CONNECTION_ERROR', kind: 'unknown', inDoubt: false },
    });
  });
});

describe('retries: what an earlier attempt means for the answer', () => {
  it('PASS_HAS_EXIST after a timed-out first attempt: priorAttemptInDoubt', async () => {
    const { gw, client } = setup({ timeoutMs: 30 });
    gw.answer('createPass', { body: issued, delayMs: 60_000 });
    gw.answer('createPass', { body: result('PASS_HAS_EXIST', 'F', 'resultInfo') });
    const r = await client.createPass(pass);
    expect(r).toMatchObject({
      ok: false,
      attempts: 2,
      failure: { kind: 'business', code: 'PASS_HAS_EXIST', priorAttemptInDoubt: true, inDoubt: true },
    });
  });

  it('PASS_HAS_EXIT on a first attempt: someone else used the bizSerialId', async () => {
    const { gw, client } = setup();
    gw.answer('createPass', { body: result('PASS_HAS_EXIT', 'F') });
    const r = await client.createPass(pass);
    expect(!r.ok && r.failure).toMatchObject({
      code: 'PASS_HAS_EXIT',
      priorAttemptInDoubt: false,
      inDoubt: false,
    });
  });

  it('maxRetries 0 never retries', async () => {
    const { gw, client } = setup({ maxRetries: 0 });
    gw.answer('createPass', { body: result('SYSTEM_ERROR', 'U') });
    expect(await client.createPass(pass)).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { inDoubt: true },
    });
  });
});
