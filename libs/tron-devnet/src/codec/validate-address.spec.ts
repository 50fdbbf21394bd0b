import { hexToBase58 } from './address';
import { validateAddress } from './validate-address';

const hex = '41' + 'ab'.repeat(20);
const base58 = hexToBase58(hex);

describe('validateaddress (java-tron ValidateAddressServlet)', () => {
  it('accepts an address in each of the three formats, told apart by length', () => {
    expect(validateAddress(base58)).toEqual({ result: true, message: 'Base58check format' });
    expect(validateAddress(hex)).toEqual({ result: true, message: 'Hex string format' });
    expect(validateAddress(hex.toUpperCase())).toEqual({ result: true, message: 'Hex string format' });
    const base64 = Buffer.from(hex, 'hex').toString('base64');
    expect(base64).toHaveLength(28);
    expect(validateAddress(base64)).toEqual({ result: true, message: 'Base64 format' });
  });

  it('answers "Invalid address" for a value that decodes but is no mainnet address', () => {
    const last = base58[33] === '1' ? '2' : '1';
    expect(validateAddress(base58.slice(0, 33) + last)).toEqual({
      result: false,
      message: 'Invalid address',
    });
    expect(validateAddress('42' + 'ab'.repeat(20))).toEqual({ result: false, message: 'Invalid address' });
    // "0x" is dropped, leaving 20 bytes
    expect(validateAddress('0x' + 'ab'.repeat(20))).toEqual({ result: false, message: 'Invalid address' });
    expect(validateAddress(Buffer.alloc(21, 0x42).toString('base64'))).toEqual({
      result: false,
      message: 'Invalid address',
    });
  });

  it("answers the Java decoders' messages for characters they refuse", () => {
    expect(validateAddress(base58.slice(0, 5) + '0' + base58.slice(6))).toEqual({
      result: false,
      message: 'Illegal character 0 at 5',
    });
    expect(validateAddress('41' + 'zz'.repeat(20))).toEqual({
      result: false,
      message: 'exception decoding Hex string: invalid characters encountered in Hex string',
    });
    expect(validateAddress('-'.repeat(28))).toEqual({
      result: false,
      message: 'Illegal base64 character 2d',
    });
    expect(validateAddress('AAAA=' + 'A'.repeat(23))).toEqual({
      result: false,
      message: 'Input byte array has wrong 4-byte ending unit',
    });
    expect(validateAddress('AA==' + 'A'.repeat(24))).toEqual({
      result: false,
      message: 'Input byte array has incorrect ending byte at 4',
    });
  });

  it('answers "Length error" for other lengths, and no message without an address', () => {
    expect(validateAddress('T123')).toEqual({ result: false, message: 'Length error' });
    expect(validateAddress('')).toEqual({ result: false, message: 'Length error' });
    expect(validateAddress(undefined)).toEqual({ result: false });
  });
});
