// Fault injection of the sandbox over HTTP: U not applied, HTTP 500, timeouts held, drop-after-commit
// applied but unanswered, scripted faults in order, runtime POST /__sandbox/faults, seeded rates, env.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedSandbox } from '../src/sandbox/index.js';
import {
  createTemplate,
  passBody,
  startTestSandbox,
  type TestSandbox,
  templateBody,
} from '../src/sandbox/testing/harness.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());
afterEach(async () => {
  await t.client.setFaults({});
});

const templateCount = () => t.sandbox.store.templates().length;

describe('faults', () => {
  it('U: answers UNKNOWN_EXCEPTION (signed) and applies nothing; the retry applies once', async () => {
    t.sandbox.setFaults({ script: [{ endpoint: 'createTemplate', fault: 'unknown', times: 1 }] });
    const body = templateBody();
    const before = templateCount();
    const reply = await t.client.call('createTemplate', body);
    expect(reply.result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });
    expect(reply.verified).toBe(true);
    expect(templateCount()).toBe(before);
    expect((await t.client.call('createTemplate', body)).result?.resultCode).toBe('SUCCESS');
    expect(templateCount()).toBe(before + 1);
  });

  it('HTTP 500: answers 500 and applies nothing', async () => {
    t.sandbox.setFaults({ script: [{ fault: 'http500', times: 1 }] });
    const before = templateCount();
    const reply = await t.client.call('createTemplate', templateBody());
    expect(reply.statusCode).toBe(500);
    expect(reply.signed).toBe(false);
    expect(reply.headers['tracer-id']).toBeDefined();
    expect(templateCount()).toBe(before);
  });

  it('timeout: never answers (the client gives up) and applies nothing', async () => {
    const code = await createTemplate(t.client);
    t.sandbox.setFaults({ script: [{ endpoint: 'createPass', fault: 'timeout', times: 1 }] });
    const body = passBody(code);
    await expect(t.client.call('createPass', body, { timeoutMs: 300 })).rejects.toThrow();
    expect(t.sandbox.store.passCount(code)).toBe(0);
    expect((await t.client.call('createPass', body)).result?.resultCode).toBe('SUCCESS');
  });

  it('drop-after-commit: applies and persists, then closes the connection without an answer', async () => {
    const code = await createTemplate(t.client);
    t.sandbox.setFaults({ script: [{ endpoint: 'createPass', fault: 'drop-after-commit', times: 1 }] });
    const body = passBody(code);
    await expect(t.client.call('createPass', body)).rejects.toThrow();
    expect(t.sandbox.store.pass(code, body.bizSerialId as string)).toBeDefined();
    const retry = await t.client.call('createPass', body);
    expect(retry.result?.resultCode).toBe('PASS_HAS_EXIST');
    expect(t.sandbox.store.passCount(code)).toBe(1);
  });

  it('consumes scripted faults in order, each by the requests it matches', async () => {
    await t.client.setFaults({
      script: [
        { endpoint: 'createPass', fault: 'http500', times: 1 },
        { endpoint: 'detail', fault: 'unknown', times: 2 },
        { fault: 'http500', times: 1 },
      ],
    });
    const detail = () => t.client.call('detail', { templateCode: '1' });
    expect((await detail()).result?.resultCode).toBe('UNKNOWN_EXCEPTION');
    expect((await detail()).result?.resultCode).toBe('UNKNOWN_EXCEPTION');
    expect((await detail()).statusCode).toBe(500);
    expect((await detail()).result?.resultCode).toBe('PASS_TEMPLATE_HAS_NOT_EXIT');
    expect(await t.client.inspect('faults')).toEqual({
      script: [{ endpoint: 'createPass', fault: 'http500', times: 1 }],
    });
    expect((await t.client.call('createPass', passBody('1'))).statusCode).toBe(500);
    expect(await t.client.inspect('faults')).toEqual({});
  });

  it('does not consume faults on requests the gateway rejects', async () => {
    await t.client.setFaults({ script: [{ fault: 'unknown', times: 1 }] });
    const bad = await t.client.call('detail', { templateCode: '1' }, { headers: { signature: undefined } });
    expect(bad.result?.resultCode).toBe('INVALID_SIGNATURE');
    expect((await t.client.call('detail', { templateCode: '1' })).result?.resultCode).toBe(
      'UNKNOWN_EXCEPTION',
    );
  });

  it('changes faults at runtime through POST /__sandbox/faults and refuses a bad configuration', async () => {
    expect(await t.client.setFaults({ unknownRate: 1 })).toEqual({ unknownRate: 1 });
    expect((await t.client.call('detail', { templateCode: '1' })).result?.resultCode).toBe(
      'UNKNOWN_EXCEPTION',
    );
    await t.client.setFaults({});
    expect((await t.client.call('detail', { templateCode: '1' })).result?.resultCode).toBe(
      'PASS_TEMPLATE_HAS_NOT_EXIT',
    );
    for (const bad of [
      '{"unknownRate":2}',
      '{"script":[{"fault":"explode","times":1}]}',
      '{"typo":1}',
      'not json',
    ]) {
      const response = await request(`${t.sandbox.url}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bad,
      });
      expect(response.statusCode, bad).toBe(400);
      await response.body.dump();
    }
  });

  it('draws rate faults from a seeded PRNG: the same seed gives the same sequence', async () => {
    const run = async () => {
      await t.client.setFaults({ unknownRate: 0.3, http500Rate: 0.2, seed: 42 });
      const seen: string[] = [];
      for (let i = 0; i < 30; i += 1) {
        const reply = await t.client.call('detail', { templateCode: '1' });
        seen.push(reply.statusCode === 500 ? '500' : (reply.result?.resultCode ?? '?'));
      }
      return seen;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['500', 'UNKNOWN_EXCEPTION', 'PASS_TEMPLATE_HAS_NOT_EXIT']));
  });

  it('never applies faults to the inspection routes, and counts what it injected', async () => {
    type Stats = { faults: Record<string, number>; results: Record<string, number> };
    const before = await t.client.inspect<Stats>('stats');
    await t.client.setFaults({
      script: [
        { fault: 'unknown', times: 2 },
        { fault: 'drop-after-commit', times: 1 },
      ],
      http500Rate: 1,
    });
    const detail = () => t.client.call('detail', { templateCode: '1' });
    await detail();
    await detail();
    await expect(detail()).rejects.toThrow();
    expect((await detail()).statusCode).toBe(500);
    const response = await request(`${t.sandbox.url}/__sandbox/stats`);
    expect(response.statusCode).toBe(200);
    const after = (await response.body.json()) as Stats;
    const delta = (kind: string) => (after.faults[kind] ?? 0) - (before.faults[kind] ?? 0);
    expect([delta('unknown'), delta('drop-after-commit'), delta('http500'), delta('timeout')]).toEqual([
      2, 1, 1, 0,
    ]);
    expect((after.results.UNKNOWN_EXCEPTION ?? 0) - (before.results.UNKNOWN_EXCEPTION ?? 0)).toBe(2);
    expect((after.results.HTTP_500 ?? 0) - (before.results.HTTP_500 ?? 0)).toBe(1);
  });

  it('answers normally with added latency', async () => {
    await t.client.setFaults({ latencyMs: 20 });
    expect((await t.client.call('detail', { templateCode: '1' })).result?.resultCode).toBe(
      'PASS_TEMPLATE_HAS_NOT_EXIT',
    );
  });
});

describe('faults of the embedded sandbox', () => {
  it('come from IPASS_SANDBOX_FAULTS', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'ipass-faults-'));
    try {
      const env = {
        IPASS_SANDBOX_FAULTS: '{"script":[{"endpoint":"createPass","fault":"unknown","times":3}]}',
      };
      const { sandbox } = await createEmbeddedSandbox(stateDir, { env });
      const response = await request(`${sandbox.url}/__sandbox/faults`);
      expect(await response.body.json()).toEqual({
        script: [{ endpoint: 'createPass', fault: 'unknown', times: 3 }],
      });
      await sandbox.close();
      await expect(
        createEmbeddedSandbox(stateDir, { env: { IPASS_SANDBOX_FAULTS: '{oops' } }),
      ).rejects.toMatchObject({
        code: 'SANDBOX_FAULTS_INVALID',
      });
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
