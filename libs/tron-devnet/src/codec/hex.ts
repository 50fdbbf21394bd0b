/** Small byte helpers shared by the codec. */

export function hexToBytes(hex: string): Buffer {
  const clean = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new TypeError(`invalid hex string: ${hex.slice(0, 80)}`);
  }
  return Buffer.from(clean, 'hex');
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** java-tron answers messages as the hex of their UTF-8 bytes. */
export function utf8ToHex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

export function isHex(value: string): boolean {
  return /^(0x)?[0-9a-fA-F]*$/.test(value) && value.replace(/^0x/, '').length % 2 === 0;
}

/**
 * Hex as java-tron's ByteArray.fromHexString reads it: a lowercase "0x" prefix dropped, an odd length padded
 * with a leading 0, either case of digit; undefined for any other character.
 */
export function javaHexToBytes(hex: string): Buffer | undefined {
  let clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  if (clean.length % 2) clean = '0' + clean;
  return Buffer.from(clean, 'hex');
}
