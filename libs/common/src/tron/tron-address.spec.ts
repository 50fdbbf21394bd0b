import { isTronAddress, isTxId } from './tron-address';

describe('isTronAddress', () => {
  it('accepts a base58check address', () => {
    expect(isTronAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t')).toBe(true);
  });

  it.each([
    ['a wrong checksum', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u'],
    ['the hex form', '41a614f803b6fd780986a42c78ec9c7f77e6ded13c'],
    ['an Ethereum address', '0xa614f803b6fd780986a42c78ec9c7f77e6ded13c'],
    ['a short string', 'TR7NHqje'],
    ['a number', 42],
  ])('refuses %s', (_label, value) => {
    expect(isTronAddress(value)).toBe(false);
  });
});

describe('isTxId', () => {
  it('accepts 64 hex characters and refuses anything else', () => {
    expect(isTxId('a'.repeat(64))).toBe(true);
    expect(isTxId('g'.repeat(64))).toBe(false);
    expect(isTxId('a'.repeat(63))).toBe(false);
  });
});
