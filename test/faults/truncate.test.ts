// Where a truncate cuts a body: always short of its whole length, so the client sees fewer
// bytes than Content-Length promised.
import { truncateAt } from '../../mock/domain/faults';

describe('truncateAt', () => {
  it('cuts half the body by default', () => {
    expect(truncateAt({ kind: 'truncate' }, 100)).toBe(50);
    expect(truncateAt({ kind: 'truncate' }, 101)).toBe(50);
  });

  it('cuts at a fraction or at a byte count', () => {
    expect(truncateAt({ kind: 'truncate', fraction: 0.1 }, 100)).toBe(10);
    expect(truncateAt({ kind: 'truncate', bytes: 7 }, 100)).toBe(7);
    expect(truncateAt({ kind: 'truncate', bytes: 0 }, 100)).toBe(0);
  });

  it('leaves the body at least one byte short, whatever the rule asks', () => {
    expect(truncateAt({ kind: 'truncate', bytes: 500 }, 100)).toBe(99);
    expect(truncateAt({ kind: 'truncate', fraction: 0.999 }, 2)).toBe(1);
    expect(truncateAt({ kind: 'truncate' }, 1)).toBe(0);
    expect(truncateAt({ kind: 'truncate' }, 0)).toBe(0);
  });
});
