import {
  AbiDecodeError,
  decodeAddress,
  decodeBool,
  decodeString,
  decodeUint256,
  encodeAddress,
  encodeUint256,
  eventTopic,
} from './abi-codec';
import { eventSignature, functionSignature } from './tether-token.abi';

const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

/** `name()` of TetherToken as a node returns it: offset, length, padded bytes. */
const TETHER_USD =
  '0000000000000000000000000000000000000000000000000000000000000020' +
  '000000000000000000000000000000000000000000000000000000000000000a' +
  '5465746865722055534400000000000000000000000000000000000000000000';

describe('abi codec', () => {
  it('encodes an address as its 20-byte id in one word and decodes it back', () => {
    const word = encodeAddress(USDT);
    expect(word).toBe('000000000000000000000000a614f803b6fd780986a42c78ec9c7f77e6ded13c');
    expect(decodeAddress(word)).toBe(USDT);
  });

  it('round-trips uint256 and refuses out-of-range values', () => {
    expect(decodeUint256(encodeUint256(123_456_789n))).toBe(123_456_789n);
    expect(decodeUint256(encodeUint256(2n ** 256n - 1n))).toBe(2n ** 256n - 1n);
    expect(() => encodeUint256(-1n)).toThrow(RangeError);
  });

  it('decodes dynamic strings and the bytes32 form of old tokens', () => {
    expect(decodeString(TETHER_USD)).toBe('Tether USD');
    expect(decodeString('5553445400000000000000000000000000000000000000000000000000000000')).toBe('USDT');
  });

  it('decodes bools strictly', () => {
    expect(decodeBool(encodeUint256(1n))).toBe(true);
    expect(decodeBool(encodeUint256(0n))).toBe(false);
    expect(() => decodeBool(encodeUint256(2n))).toThrow(AbiDecodeError);
  });

  it('refuses empty or truncated output (what a non-contract answers)', () => {
    expect(() => decodeUint256('')).toThrow(AbiDecodeError);
    expect(() => decodeString(TETHER_USD.slice(0, 140))).toThrow(AbiDecodeError);
  });

  it('derives selectors and topics from the bundled ABI', () => {
    expect(functionSignature('transfer')).toBe('transfer(address,uint256)');
    expect(functionSignature('isBlackListed')).toBe('isBlackListed(address)');
    expect(eventTopic(eventSignature('Transfer'))).toBe(
      'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
    );
  });
});
