import { base58CheckPayload } from './address';
import { javaHexToBytes } from './hex';

/**
 * `/wallet/validateaddress`, as java-tron's ValidateAddressServlet answers it: the input's length picks the
 * format (42 hex, 34 base58check, 28 base64), decoding errors answer with the Java exception's message, and a
 * decoded value that is not 21 bytes starting 0x41 is an "Invalid address".
 */

export interface AddressValidation {
  result: boolean;
  message?: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE58_ILLEGAL = /[^1-9A-HJ-NP-Za-km-z]/;
const PAD = 0x3d; // '='

/** java-tron's ByteArray.fromHexString, failing with Bouncy Castle's message. */
function hexAddress(text: string): Buffer {
  const bytes = javaHexToBytes(text);
  if (!bytes) throw new Error('exception decoding Hex string: invalid characters encountered in Hex string');
  return bytes;
}

/** java-tron's Commons.decodeFromBase58Check: only its Base58.decode throws, a bad checksum gives nothing. */
function base58Address(text: string): Buffer | undefined {
  const bad = BASE58_ILLEGAL.exec(text);
  if (bad) throw new Error(`Illegal character ${bad[0]} at ${bad.index}`);
  return base58CheckPayload(text);
}

/** The signed byte Java prints in "Illegal base64 character": Integer.toString(byte, 16). */
function javaByteHex(c: number): string {
  return (c >= 0x80 ? c - 0x100 : c).toString(16);
}

/** java.util.Base64's basic decoder (the servlet's), with its messages for input it refuses. */
function base64Address(text: string): Buffer {
  // String.getBytes(ISO_8859_1): a character beyond Latin-1 becomes '?'
  const src = Array.from(text, (ch) => {
    const c = ch.codePointAt(0) ?? 0;
    return c > 0xff ? 0x3f : c;
  });
  const out: number[] = [];
  let bits = 0;
  let shiftto = 18;
  let sp = 0;
  while (sp < src.length) {
    const c = src[sp++];
    if (c === PAD) {
      if ((shiftto === 6 && (sp === src.length || src[sp++] !== PAD)) || shiftto === 18) {
        throw new Error('Input byte array has wrong 4-byte ending unit');
      }
      break;
    }
    const b = BASE64.indexOf(String.fromCharCode(c));
    if (b < 0) throw new Error(`Illegal base64 character ${javaByteHex(c)}`);
    bits |= b << shiftto;
    shiftto -= 6;
    if (shiftto < 0) {
      out.push((bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff);
      shiftto = 18;
      bits = 0;
    }
  }
  if (shiftto === 6) out.push((bits >> 16) & 0xff);
  else if (shiftto === 0) out.push((bits >> 16) & 0xff, (bits >> 8) & 0xff);
  else if (shiftto === 12) throw new Error('Last unit does not have enough valid bits');
  if (sp < src.length) throw new Error(`Input byte array has incorrect ending byte at ${sp}`);
  return Buffer.from(out);
}

/** java-tron's DecodeUtil.addressValid for mainnet: 21 bytes, the first 0x41. */
function isTronAddress(bytes: Buffer | undefined): boolean {
  return bytes !== undefined && bytes.length === 21 && bytes[0] === 0x41;
}

/** The servlet's answer for `input`; undefined (no `address`) fails with no message, as java-tron's does. */
export function validateAddress(input: string | undefined): AddressValidation {
  // java-tron dereferences the missing string: the NullPointerException has no message, and fastjson drops
  // the null member.
  if (input === undefined) return { result: false };
  let decode: (text: string) => Buffer | undefined;
  let message: string;
  if (input.length === 42) [decode, message] = [hexAddress, 'Hex string format'];
  else if (input.length === 34) [decode, message] = [base58Address, 'Base58check format'];
  else if (input.length === 28) [decode, message] = [base64Address, 'Base64 format'];
  else return { result: false, message: 'Length error' };
  let address: Buffer | undefined;
  try {
    address = decode(input);
  } catch (e) {
    return { result: false, message: e instanceof Error ? e.message : String(e) };
  }
  return isTronAddress(address) ? { result: true, message } : { result: false, message: 'Invalid address' };
}
