/**
 * Driver errors that mean "the database did not answer" rather than "the request was wrong": the server is
 * down, hung (a socket timeout), restarting, or not yet connected. They are matched by name so that this
 * lib, which writes every error response, does not depend on the driver.
 */
const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoClientClosedError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
]);

/** Mongoose refuses commands before the first connection when bufferCommands is off (our setting). */
const NOT_YET_CONNECTED = /before initial connection is complete/;

/**
 * True when `err`, or an error it wraps (`cause`), is the database being unreachable. Such a failure is
 * retryable (USDT_ERR_600), whichever repository let it through.
 */
export function isDatabaseUnavailableError(err: unknown): boolean {
  for (let current = err, depth = 0; depth < 5; depth++) {
    if (!(current instanceof Error)) return false;
    if (UNAVAILABLE_NAMES.has(current.name)) return true;
    if (current.name === 'MongooseError' && NOT_YET_CONNECTED.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}
