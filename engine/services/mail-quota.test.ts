import { describe, expect, it } from 'vitest';
import { mailQuotaKeys, withinQuota } from './mail-quota.js';

const limits = { perAddress: 3, perNetwork: 20 };

describe('account mail quota', () => {
  it('keys the mailbox (any spelling) and the client network (an IPv6 /64)', () => {
    const keys = mailQuotaKeys(' Anna@Firma.Example ', '2001:db8:1:2:3:4:5:6', limits);
    expect(keys.map((key) => key.key)).toEqual(['mail:address:anna@firma.example', 'mail:network:2001:db8:1:2::/64']);
  });

  it('lets the third mail to an address out, not the fourth', () => {
    const keys = mailQuotaKeys('anna@firma.example', '203.0.113.9', limits);
    const counts = (address: number, network: number) =>
      new Map([
        [keys[0]?.key ?? '', address],
        [keys[1]?.key ?? '', network],
      ]);
    expect(withinQuota(keys, counts(3, 3))).toBe(true);
    expect(withinQuota(keys, counts(4, 4))).toBe(false);
  });

  it('stops a network after its limit, whichever addresses it asks for', () => {
    const keys = mailQuotaKeys('someone@else.example', '203.0.113.9', limits);
    const counts = new Map([
      [keys[0]?.key ?? '', 1],
      [keys[1]?.key ?? '', 21],
    ]);
    expect(withinQuota(keys, counts)).toBe(false);
  });
});
