/** The line mongo-java-server logs (at ERROR) for any exception on a client's channel. */
const CLIENT_EXCEPTION = /MongoExceptionHandler - exception for client/;
/** The exception when a client closed its socket without saying goodbye; Java 17 words it this way. */
const CONNECTION_RESET = /^java\.net\.SocketException: Connection reset$/;
const STACK_FRAME = /^\s+at /;

/**
 * Wraps an engine log sink so that it no longer gets mongo-java-server's report of a client that hung up
 * abruptly (a driver closing its pool at shutdown, a benchmark's connections at the end of a run): an ERROR
 * line, the exception and some 20 stack frames, for something that is no fault at all. Every other line,
 * other client exceptions included, passes unchanged and in order.
 *
 * The engine writes such a report as consecutive lines of one log call, so the "exception for client" line
 * is held only until the next line says which exception it was, or the log ends (`end`).
 */
export function withoutConnectionResets(onLog: (line: string) => void): EngineLogSink {
  let held: string | undefined;
  let droppingFrames = false;
  const write = (line: string) => {
    if (droppingFrames && STACK_FRAME.test(line)) return;
    droppingFrames = false;
    if (held !== undefined) {
      const report = held;
      held = undefined;
      if (CONNECTION_RESET.test(line)) {
        droppingFrames = true;
        return;
      }
      onLog(report);
    }
    if (CLIENT_EXCEPTION.test(line)) held = line;
    else onLog(line);
  };
  const end = () => {
    if (held !== undefined) onLog(held);
    held = undefined;
  };
  return { write, end };
}

export interface EngineLogSink {
  write(line: string): void;
  /** The engine's log ended: a report still held is passed on, its exception unknown. */
  end(): void;
}
