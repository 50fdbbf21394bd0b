import { describeErrorSafely } from './redact';

describe('describeErrorSafely', () => {
  it('blanks hex and base64 runs that could be key material, in the message and its cause', () => {
    const hex = 'a1'.repeat(32);
    const b64 = Buffer.from(hex, 'hex').toString('base64');
    const err = new Error(`bad key ${hex}`, { cause: new Error(`also ${b64}`) });
    const text = describeErrorSafely(err);
    expect(text).not.toContain(hex);
    expect(text).not.toContain(b64);
    expect(text).toContain('[redacted]');
  });

  it('keeps base58 addresses readable', () => {
    expect(describeErrorSafely(new Error('wallet TJRabPrwbZy45sbavfcjinPJC18kjpRTv8'))).toContain(
      'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
    );
  });
});
