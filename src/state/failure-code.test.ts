import { describe, expect, it } from 'vitest';
import { isPermanentPassFailure } from '../api/result-codes.js';
import { encodeFailureCode, parseFailureCode } from './failure-code.js';
import { KeyTable, LedgerStatus } from './key-table.js';
import { foldRecord } from './ledger-format.js';

describe('permanent createPass failures', () => {
  it('are the codes that re-sending the same row cannot change, spelling variants included', () => {
    for (const code of [
      'USER_NOT_EXIST',
      'USER_NOT_EXSITS',
      'PARAM_ILLEGAL',
      'PASS_HAS_EXIST',
      'PASS_HAS_EXIT',
    ])
      expect(isPermanentPassFailure(code), code).toBe(true);
    for (const code of [
      'SYSTEM_ERROR',
      'REQUEST_TRAFFIC_EXCEED_LIMIT',
      'UNKNOWN_EXCEPTION',
      'PROCESS_FAIL',
      'PASS_TEMPLATE_STOCK_NOT_ENOUGH',
      'PASS_TEMPLATE_STATUS_ILLEGAL',
      'INVALID_SIGNATURE',
      'TIMEOUT',
      'HTTP_500',
      'SOME_NEW_CODE',
    ])
      expect(isPermanentPassFailure(code), code).toBe(false);
  });
});

describe('the F record code', () => {
  it('carries the row hash of a permanent failure only, and reads back', () => {
    expect(encodeFailureCode('USER_NOT_EXIST', 0x1a2b3c4d)).toBe('USER_NOT_EXIST~1a2b3c4d');
    expect(encodeFailureCode('USER_NOT_EXIST', -1)).toBe('USER_NOT_EXIST~ffffffff');
    expect(encodeFailureCode('SYSTEM_ERROR', 0x1a2b3c4d)).toBe('SYSTEM_ERROR');
    expect(parseFailureCode('USER_NOT_EXIST~1a2b3c4d')).toEqual({
      code: 'USER_NOT_EXIST',
      permanent: true,
      rowHash: 0x1a2b3c4d,
    });
    expect(parseFailureCode('USER_NOT_EXIST~ffffffff').rowHash).toBe(-1);
  });

  it('reads records written before hashes were kept as "row unknown", and odd text as a plain code', () => {
    expect(parseFailureCode('USER_NOT_EXIST')).toEqual({ code: 'USER_NOT_EXIST', permanent: true });
    expect(parseFailureCode('SYSTEM_ERROR')).toEqual({ code: 'SYSTEM_ERROR', permanent: false });
    expect(parseFailureCode('A~B')).toEqual({ code: 'A~B', permanent: false });
    expect(parseFailureCode('SYSTEM_ERROR~1a2b3c4d')).toEqual({ code: 'SYSTEM_ERROR', permanent: false });
  });
});

describe('folding failures', () => {
  const fold = (records: [string, string, string?][]): KeyTable => {
    const t = new KeyTable(2);
    for (const [type, id, code] of records) foldRecord(t, type, id, code);
    return t;
  };

  it('holds back after a permanent failure, releases after a retried one, keeps holds across growth', () => {
    const records: [string, string, string?][] = [];
    for (let i = 0; i < 3000; i++)
      records.push(['I', `id-${i}`], ['F', `id-${i}`, `USER_NOT_EXIST~0000000${i % 10}`]);
    records.push(['I', 'id-1'], ['F', 'id-1', 'SYSTEM_ERROR']);
    records.push(['I', 'id-2'], ['N', 'id-2']);
    records.push(['I', 'id-3'], ['S', 'id-3', 'P'], ['F', 'id-3', 'USER_NOT_EXIST~00000001']);
    const t = fold(records);
    expect(t.held(t.find('id-0'))).toEqual({ code: 'USER_NOT_EXIST', rowHash: 0 });
    expect(t.held(t.find('id-2999'))).toEqual({ code: 'USER_NOT_EXIST', rowHash: 9 });
    expect(t.held(t.find('id-1'))).toBeUndefined();
    expect(t.status(t.find('id-2'))).toBe(LedgerStatus.notSent);
    expect(t.held(t.find('id-2'))).toBeUndefined();
    expect(t.held(t.find('id-3'))).toBeUndefined();
  });

  it('never holds back a recipient an attempt of which was in doubt', () => {
    const t = fold([
      ['I', 'a'],
      ['I', 'a'],
      ['F', 'a', 'USER_NOT_EXIST~00000001'],
    ]);
    expect(t.status(t.find('a'))).toBe(LedgerStatus.failed);
    expect(t.held(t.find('a'))).toBeUndefined();
  });
});
