import { describe, expect, it } from 'vitest';
import { formatDemand, groupDigits } from '../src/units.js';

describe('numbers as plans write them', () => {
  it('groups whole units by thousands', () => {
    expect(groupDigits(19744.6)).toBe('19,745');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(1234567)).toBe('1,234,567');
    expect(groupDigits(-1234.4)).toBe('-1,234');
  });

  it('writes a demand the same way in the table and the notes: grouped from 1,000, decimals below, no NaN', () => {
    expect(formatDemand(19745.4)).toBe('19,745');
    expect(formatDemand(948.44)).toBe('948.4');
    expect(formatDemand(3.254)).toBe('3.25');
    expect(formatDemand(2e15)).toBe('2.000e+15');
    expect(formatDemand(Number.NaN)).toBe('-');
    expect(formatDemand(Number.POSITIVE_INFINITY)).toBe('-');
  });
});
