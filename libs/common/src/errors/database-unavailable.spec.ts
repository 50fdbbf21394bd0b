import { MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { Error as MongooseError } from 'mongoose';

import { AppError } from './app-error';
import { isDatabaseUnavailableError } from './database-unavailable';
import { ErrorCode } from './error-codes';

describe('isDatabaseUnavailableError', () => {
  it('recognises the driver errors of a hung or stopped server', () => {
    expect(
      isDatabaseUnavailableError(new MongoNetworkTimeoutError('connection 2 to 127.0.0.1:1 timed out')),
    ).toBe(true);
    expect(
      isDatabaseUnavailableError(
        new MongoServerSelectionError('connection <monitor> timed out', {
          type: 'Unknown',
          servers: new Map(),
          stale: false,
          compatible: true,
          heartbeatFrequencyMS: 2000,
          localThresholdMS: 15,
          // The description's other members are not read by the error.
        } as unknown as ConstructorParameters<typeof MongoServerSelectionError>[1]),
      ),
    ).toBe(true);
  });

  it('recognises Mongoose refusing commands before the first connection (bufferCommands off)', () => {
    const err = new MongooseError(
      'Cannot call `transfers.findOne()` before initial connection is complete if `bufferCommands = false`.',
    );
    expect(isDatabaseUnavailableError(err)).toBe(true);
    expect(isDatabaseUnavailableError(new MongooseError('Operation `x` buffering timed out'))).toBe(false);
  });

  it('finds the outage behind a wrapper that kept it as the cause', () => {
    const wrapped = new Error('could not list', { cause: new MongoNetworkTimeoutError('timed out') });
    expect(isDatabaseUnavailableError(wrapped)).toBe(true);
  });

  it('leaves server-side refusals and our own errors alone: they are not outages', () => {
    expect(
      isDatabaseUnavailableError(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 })),
    ).toBe(false);
    expect(isDatabaseUnavailableError(new AppError(ErrorCode.TRANSFER_NOT_FOUND))).toBe(false);
    expect(isDatabaseUnavailableError(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailableError({ name: 'MongoNetworkError' })).toBe(false);
    expect(isDatabaseUnavailableError(undefined)).toBe(false);
  });
});
