import { withoutConnectionResets } from './engine-log-filter';

const REPORT =
  '108164 [mongo-server-worker4] ERROR de.bwaldvogel.mongo.wire.MongoExceptionHandler - exception for client 86e9c4e4';

function filtered(lines: string[]): string[] {
  const kept: string[] = [];
  const sink = withoutConnectionResets((line) => kept.push(line));
  lines.forEach((line) => sink.write(line));
  sink.end();
  return kept;
}

describe('withoutConnectionResets', () => {
  it("drops a client's connection reset with its stack, and keeps what comes after", () => {
    expect(
      filtered([
        'before',
        REPORT,
        'java.net.SocketException: Connection reset',
        '\tat java.base/sun.nio.ch.SocketChannelImpl.throwConnectionReset(SocketChannelImpl.java:394)',
        '\tat java.base/java.lang.Thread.run(Thread.java:840)',
        'after',
      ]),
    ).toEqual(['before', 'after']);
  });

  it('keeps every other client exception whole', () => {
    const other = [
      REPORT,
      'java.lang.IllegalArgumentException: unknown opcode 9999',
      '\tat de.bwaldvogel.mongo.wire.MongoWireProtocolHandler.decode(MongoWireProtocolHandler.java:90)',
      'next line',
    ];
    expect(filtered(other)).toEqual(other);
  });

  it('keeps a report that was the last line of the log, its exception never written', () => {
    expect(filtered(['before', REPORT])).toEqual(['before', REPORT]);
  });

  it('passes ordinary warnings through in order', () => {
    const lines = ['WARN one', 'WARN two', '\tat not.a.Report(After.java:1)'];
    expect(filtered(lines)).toEqual(lines);
  });
});
