/**
 * Injected node failures, settable over `POST /devnet/faults` and the in-process handle's `setFaults`.
 *
 * - `broadcast: { mode: 'error', count?, code?, message? }`: broadcasttransaction/broadcasthex answer
 *   `{ code, txid, message }` (default code SERVER_BUSY) without accepting the transaction.
 * - `broadcast: { mode: 'drop-response', count? }`: the transaction is accepted (it will land) but the
 *   connection is closed without an answer, like a node that dies after accepting.
 * - `delayMs`: every non-control request is answered that many milliseconds late.
 * - `down: true`: every non-control request has its connection destroyed (node unreachable).
 * `count` limits a broadcast fault to the next n broadcasts. `{}` or `{ clear: true }` clears everything.
 */
export interface BroadcastFault {
  mode: 'error' | 'drop-response';
  count?: number;
  code?: string;
  message?: string;
}

export interface DevnetFaults {
  broadcast?: BroadcastFault;
  delayMs?: number;
  down?: boolean;
}

export interface FaultsInput extends DevnetFaults {
  clear?: boolean;
}

export class FaultInjector {
  private faults: DevnetFaults = {};

  set(input: FaultsInput): DevnetFaults {
    if (input.clear || Object.keys(input).length === 0) {
      this.faults = {};
      return this.current();
    }
    const next: DevnetFaults = {};
    if (input.broadcast) {
      if (input.broadcast.mode !== 'error' && input.broadcast.mode !== 'drop-response') {
        throw new TypeError("broadcast.mode must be 'error' or 'drop-response'");
      }
      next.broadcast = { ...input.broadcast };
    }
    if (input.delayMs !== undefined) {
      if (!Number.isFinite(input.delayMs) || input.delayMs < 0) throw new TypeError('delayMs must be >= 0');
      next.delayMs = input.delayMs;
    }
    if (input.down !== undefined) next.down = Boolean(input.down);
    this.faults = next;
    return this.current();
  }

  current(): DevnetFaults {
    return JSON.parse(JSON.stringify(this.faults)) as DevnetFaults;
  }

  get down(): boolean {
    return this.faults.down === true;
  }

  get delayMs(): number {
    return this.faults.delayMs ?? 0;
  }

  /** Consumes one broadcast fault, if any. */
  takeBroadcastFault(): BroadcastFault | undefined {
    const f = this.faults.broadcast;
    if (!f) return undefined;
    if (f.count !== undefined) {
      f.count -= 1;
      if (f.count <= 0) delete this.faults.broadcast;
    }
    return f;
  }
}
