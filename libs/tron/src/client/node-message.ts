const HEX = /^(?:[0-9a-fA-F]{2})+$/;
// Printable text plus tab/newline: anything else means the "hex" was not a hex-encoded message after all.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/;

/**
 * java-tron returns broadcast and contract messages hex-encoded ("5369676e6174757265..." for
 * "Signature ..."). Decodes them; a value that is not hex or does not decode to text is returned as is.
 */
export function decodeNodeMessage(message: string | undefined): string {
  if (!message) return '';
  if (!HEX.test(message)) return message;
  const text = Buffer.from(message, 'hex').toString('utf8');
  return CONTROL.test(text) ? message : text;
}
