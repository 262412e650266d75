// FaultInjector and parseFaultConfig: validation, script order and matching, seeded rates.
import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaultConfig } from './faults.js';

describe('parseFaultConfig', () => {
  it('accepts a full configuration', () => {
    const config = {
      latencyMs: 5,
      unknownRate: 0.1,
      http500Rate: 0.1,
      timeoutRate: 0,
      dropAfterCommitRate: 0.2,
      seed: 9,
      script: [{ endpoint: 'createPass', fault: 'drop-after-commit', times: 2 }],
    };
    expect(parseFaultConfig(config)).toEqual(config);
  });

  it.each([
    [[], 'expected a JSON object'],
    [{ unknownRate: 1.5 }, 'unknownRate'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ seed: 1.5 }, 'seed'],
    [{ script: {} }, 'script must be a list'],
    [{ script: [{ fault: 'boom', times: 1 }] }, 'script[0].fault'],
    [{ script: [{ fault: 'unknown', times: 0 }] }, 'script[0].times'],
    [{ script: [{ fault: 'unknown', times: 1, endpoint: 'pay' }] }, 'script[0].endpoint'],
    [{ unknownrate: 1 }, 'unknown field'],
  ])('refuses %j', (input, words) => {
    expect(() => parseFaultConfig(input)).toThrow(words);
  });
});

describe('FaultInjector', () => {
  it('consumes the first matching script entry, in order', () => {
    const f = new FaultInjector({
      script: [
        { endpoint: 'createPass', fault: 'timeout', times: 1 },
        { fault: 'unknown', times: 2 },
      ],
    });
    expect(f.decide('detail')).toBe('unknown');
    expect(f.decide('createPass')).toBe('timeout');
    expect(f.decide('createPass')).toBe('unknown');
    expect(f.decide('createPass')).toBeUndefined();
    expect(f.injected).toEqual({
      unknown: 2,
      http500: 0,
      timeout: 1,
      'drop-after-commit': 0,
      'unsigned-after-commit': 0,
      'replay-success': 0,
    });
  });

  it('repeats its rate draws for the same seed and spreads them by rate', () => {
    const draw = (seed: number) => {
      const f = new FaultInjector({ unknownRate: 0.25, dropAfterCommitRate: 0.25, seed });
      return Array.from({ length: 2000 }, () => f.decide('createPass') ?? 'none');
    };
    const a = draw(3);
    expect(draw(3)).toEqual(a);
    expect(draw(4)).not.toEqual(a);
    const share = (kind: string) => a.filter((x) => x === kind).length / a.length;
    expect(share('unknown')).toBeGreaterThan(0.2);
    expect(share('unknown')).toBeLessThan(0.3);
    expect(share('drop-after-commit')).toBeGreaterThan(0.2);
    expect(share('none')).toBeGreaterThan(0.45);
  });

  it('injects nothing without rates or script', () => {
    const f = new FaultInjector();
    expect(Array.from({ length: 100 }, () => f.decide('detail')).every((x) => x === undefined)).toBe(true);
  });
});
