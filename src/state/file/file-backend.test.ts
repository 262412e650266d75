import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IpassError } from '../../diagnostics/errors.js';
import { createRequestId, parseState, type StateFile, serializeState } from '../state-format.js';
import { FileBackend, loadState, statePaths } from './file-backend.js';

const template = {
  templateCode: '82022031100135000000000000626075',
  status: 'valid' as const,
  stock: 10,
  protect: false,
  generation: 1,
  requestId: 'r',
  spec: { stock: 10, type: 'COUPON' },
  superseded: [],
};

describe('state store', () => {
  it('starts empty with a fresh lineage, saves with serial+1, keeps a backup, sorts keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipass-state-'));
    const store = await new FileBackend(dir, 'dev').lock({ command: 'test', timeoutMs: 0 });
    expect(store.exists).toBe(false);
    expect(store.state.serial).toBe(0);
    const lineage = store.state.lineage;
    await store.save({ ...store.state, templates: { 'b/x': template, 'a/y': template } });
    await store.save({ ...store.state, templates: { 'a/y': template } });
    await store.release();
    const paths = statePaths(dir, 'dev');
    const text = readFileSync(paths.state, 'utf8');
    expect(text.indexOf('"environment"')).toBeLessThan(text.indexOf('"lineage"'));
    const { state } = loadState(dir, 'dev');
    expect(state).toMatchObject({ serial: 2, lineage });
    expect(Object.keys(state.templates)).toEqual(['a/y']);
    const backup = parseState(readFileSync(paths.backup, 'utf8'));
    expect(backup.ok && backup.state.serial).toBe(1);
    expect(existsSync(paths.lock)).toBe(false);
  });

  it('refuses a damaged state and points at the backup', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipass-state-'));
    const paths = statePaths(dir, 'dev');
    const good: StateFile = {
      formatVersion: 1,
      lineage: 'abcdef12',
      serial: 3,
      environment: 'dev',
      templates: {},
      passBatches: {},
      createAttempts: {},
      pending: [],
    };
    writeFileSync(paths.backup, serializeState(good));
    writeFileSync(paths.state, '{"formatVersion":1,"lineage":"abcdef12","ser');
    const error = (() => {
      try {
        loadState(dir, 'dev');
      } catch (e) {
        return e;
      }
    })() as IpassError;
    expect(error.code).toBe('STATE_CORRUPT');
    expect(error.hint).toContain(paths.backup);
    expect(error.hint).toContain('serial 3');
    writeFileSync(paths.state, JSON.stringify({ ...good, templates: { 'a/b': { templateCode: 5 } } }));
    expect(() => loadState(dir, 'dev')).toThrow(/damaged/);
  });

  it('refuses to start over when the state is gone but its backup is there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipass-state-'));
    writeFileSync(statePaths(dir, 'dev').backup, '{}');
    expect(() => loadState(dir, 'dev')).toThrow(expect.objectContaining({ code: 'STATE_MISSING' }));
  });

  it('derives stable requestIds of at most 32 characters per (lineage, address, generation)', () => {
    const a = createRequestId('l1', 'c/t', 1);
    expect(a).toHaveLength(32);
    expect(createRequestId('l1', 'c/t', 1)).toBe(a);
    expect(createRequestId('l1', 'c/t', 2)).not.toBe(a);
    expect(createRequestId('l2', 'c/t', 1)).not.toBe(a);
  });
});
