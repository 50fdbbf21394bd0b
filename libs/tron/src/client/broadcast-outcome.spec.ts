import { ErrorCode } from '@app/common';

import { broadcastRejectedError, toBroadcastOutcome } from './broadcast-outcome';
import { decodeNodeMessage } from './node-message';

const TXID = 'a'.repeat(64);
const hex = (text: string) => Buffer.from(text).toString('hex');

describe('decodeNodeMessage', () => {
  it("decodes java-tron's hex-encoded messages", () => {
    expect(decodeNodeMessage(hex('Validate signature error: miss sig or contract'))).toBe(
      'Validate signature error: miss sig or contract',
    );
  });

  it('leaves plain text and hex that is not text alone', () => {
    expect(decodeNodeMessage('already plain')).toBe('already plain');
    expect(decodeNodeMessage('00ff10')).toBe('00ff10');
    expect(decodeNodeMessage(undefined)).toBe('');
  });
});

describe('toBroadcastOutcome', () => {
  it('accepts { result: true }', () => {
    expect(toBroadcastOutcome({ result: true, txid: TXID }, TXID)).toEqual({
      accepted: true,
      txid: TXID,
      duplicate: false,
    });
  });

  it('counts DUP_TRANSACTION_ERROR as accepted: the node already has these bytes', () => {
    expect(
      toBroadcastOutcome({ code: 'DUP_TRANSACTION_ERROR', txid: TXID, message: hex('dup') }, TXID),
    ).toEqual({
      accepted: true,
      txid: TXID,
      duplicate: true,
    });
  });

  it('reports a final rejection with its code and decoded message', () => {
    expect(toBroadcastOutcome({ code: 'SIGERROR', txid: TXID, message: hex('bad sig') }, TXID)).toEqual({
      accepted: false,
      txid: TXID,
      code: 'SIGERROR',
      message: 'bad sig',
      retryable: false,
    });
    expect(toBroadcastOutcome({ code: 'TRANSACTION_EXPIRATION_ERROR' }, TXID)).toMatchObject({
      retryable: false,
    });
  });

  it('marks a busy node as retryable', () => {
    expect(toBroadcastOutcome({ code: 'SERVER_BUSY', message: hex('busy') }, TXID)).toMatchObject({
      accepted: false,
      code: 'SERVER_BUSY',
      retryable: true,
    });
  });

  it('reads a java-tron exception ({ Error }) as a final rejection', () => {
    expect(toBroadcastOutcome({ Error: 'class java.lang.NullPointerException' }, TXID)).toMatchObject({
      accepted: false,
      code: 'OTHER_ERROR',
      retryable: false,
    });
  });
});

describe('broadcastRejectedError', () => {
  it('is USDT_ERR_401 keeping the node code', () => {
    const err = broadcastRejectedError({
      accepted: false,
      txid: TXID,
      code: 'TAPOS_ERROR',
      message: 'm',
      retryable: false,
    });
    expect(err.code).toBe(ErrorCode.BROADCAST_REJECTED);
    expect(err.details[0]).toMatchObject({ nodeCode: 'TAPOS_ERROR', txid: TXID });
  });
});
