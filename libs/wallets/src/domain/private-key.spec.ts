import { utils } from 'tronweb';

import { addressOfPrivateKey, parsePrivateKeyHex } from './private-key';

describe('private keys', () => {
  it('derives the same address as TronWeb', () => {
    const account = utils.accounts.generateAccount();
    const key = parsePrivateKeyHex(account.privateKey);
    expect(key).not.toBeNull();
    expect(addressOfPrivateKey(key!)).toBe(account.address.base58);
  });

  it.each([
    ['too short', 'ab'.repeat(31)],
    ['not hex', 'zz'.repeat(32)],
    ['0x prefixed', `0x${'11'.repeat(32)}`],
    ['zero', '00'.repeat(32)],
    ['the group order n', 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'],
  ])('refuses a key that is %s', (_why, hex) => {
    expect(parsePrivateKeyHex(hex)).toBeNull();
  });

  it('accepts n - 1, the largest valid key', () => {
    expect(
      parsePrivateKeyHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140'),
    ).not.toBeNull();
  });
});
