/** Long hexadecimal or base64 runs: how a private key, a seed or a ciphertext would appear in a message. */
const SECRET_LIKE = /(?:0x)?[0-9a-fA-F]{32,}|[A-Za-z0-9+/]{40,}={0,2}/g;

/**
 * A one-line description of an error that is safe to log next to key handling: its name and its message with
 * anything that looks like key material blanked. Third-party crypto code sometimes puts its inputs in error
 * messages, so the raw error (or its stack) is never logged from the signer.
 */
export function describeErrorSafely(err: unknown): string {
  if (!(err instanceof Error))
    return typeof err === 'string' ? err.replace(SECRET_LIKE, '[redacted]') : 'unknown error';
  const cause = err.cause instanceof Error ? ` (cause: ${describeErrorSafely(err.cause)})` : '';
  return `${err.name}: ${err.message.replace(SECRET_LIKE, '[redacted]')}${cause}`;
}
