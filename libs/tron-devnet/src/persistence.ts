import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { decodeRawTransaction } from './codec/transaction';
import { Account, BlockRecord, PendingTx, TxInfo, TxRecord } from './chain/types';
import { Chain, OtherContract } from './chain/chain';
import { ContractLog } from './usdt/usdt-contract';
import { UsdtContract, UsdtSnapshot } from './usdt/usdt-contract';

/**
 * Snapshot persistence: the whole chain as one JSON file, written atomically (temp file + rename).
 * Written after blocks (debounced), on demand and on stop; never per transaction.
 */

const FILE = 'devnet-state.json';
const VERSION = 1;

interface StoredLog {
  address: string;
  topics: string[];
  data: string;
  event: { name: string; args: Array<{ name: string; type: string; value: string }> };
}

interface StoredTx {
  id: string;
  raw: string;
  sigs: string[];
  blockNumber: number;
  blockTimestamp: number;
  info: Omit<TxInfo, 'fee' | 'energyFee' | 'netFee' | 'logs'> & {
    fee: string;
    energyFee: string;
    netFee: string;
    logs: StoredLog[];
  };
}

export interface StoredState {
  version: number;
  seed: string;
  accountCount: number;
  solidityLag: number;
  accounts: Array<Omit<Account, 'balance'> & { balance: string }>;
  usdt: UsdtSnapshot;
  /** Contracts deployed with the control API (absent in snapshots written before they existed). */
  otherContracts?: Array<[string, OtherContract]>;
  blocks: BlockRecord[];
  txs: StoredTx[];
  pending: Array<{ raw: string; sigs: string[]; netBytes: number }>;
}

export function statePath(dataDir: string): string {
  return path.join(dataDir, FILE);
}

export function serialize(chain: Chain): string {
  const state: StoredState = {
    version: VERSION,
    seed: chain.options.seed,
    accountCount: chain.keys.length,
    solidityLag: chain.solidityLag,
    accounts: [...chain.accounts.values()].map((a) => ({ ...a, balance: a.balance.toString() })),
    usdt: chain.usdt.snapshot(),
    otherContracts: [...chain.otherContracts.entries()],
    blocks: chain.blocks,
    txs: [...chain.txs.values()].map((t) => ({
      id: t.id,
      raw: t.rawBytes.toString('hex'),
      sigs: t.signatures.map((s) => s.toString('hex')),
      blockNumber: t.blockNumber,
      blockTimestamp: t.blockTimestamp,
      info: {
        ...t.info,
        fee: t.info.fee.toString(),
        energyFee: t.info.energyFee.toString(),
        netFee: t.info.netFee.toString(),
        logs: t.info.logs.map((l) => ({
          ...l,
          event: { name: l.event.name, args: l.event.args.map((a) => ({ ...a, value: a.value.toString() })) },
        })),
      },
    })),
    pending: chain.pending.map((p) => ({
      raw: p.rawBytes.toString('hex'),
      sigs: p.signatures.map((s) => s.toString('hex')),
      netBytes: p.netBytes,
    })),
  };
  return JSON.stringify(state);
}

export async function readState(dataDir: string): Promise<StoredState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(statePath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const state = JSON.parse(text) as StoredState;
  if (state.version !== VERSION) throw new Error(`unsupported devnet state version ${state.version}`);
  return state;
}

export function restore(chain: Chain, state: StoredState): void {
  const restoreLog = (l: StoredLog): ContractLog => ({
    ...l,
    event: {
      name: l.event.name,
      args: l.event.args.map((a) => ({ ...a, value: a.type === 'address' ? a.value : BigInt(a.value) })),
    },
  });
  const txs: TxRecord[] = state.txs.map((t) => {
    const rawBytes = Buffer.from(t.raw, 'hex');
    return {
      id: t.id,
      rawBytes,
      raw: decodeRawTransaction(rawBytes),
      signatures: t.sigs.map((s) => Buffer.from(s, 'hex')),
      blockNumber: t.blockNumber,
      blockTimestamp: t.blockTimestamp,
      info: {
        ...t.info,
        fee: BigInt(t.info.fee),
        energyFee: BigInt(t.info.energyFee),
        netFee: BigInt(t.info.netFee),
        logs: t.info.logs.map(restoreLog),
      },
    };
  });
  const pending: PendingTx[] = state.pending.map((p) => {
    const rawBytes = Buffer.from(p.raw, 'hex');
    return {
      id: chain.buildTxId(rawBytes),
      rawBytes,
      raw: decodeRawTransaction(rawBytes),
      signatures: p.sigs.map((s) => Buffer.from(s, 'hex')),
      netBytes: p.netBytes,
    };
  });
  chain.restoreFrom({
    accounts: state.accounts.map((a) => ({ ...a, balance: BigInt(a.balance) })),
    usdt: UsdtContract.restore(state.usdt),
    blocks: state.blocks,
    txs,
    pending,
    otherContracts: state.otherContracts,
  });
}

/** Serialises writes: at most one in flight, and a request during a write triggers one more after it. */
export class SnapshotWriter {
  private writing: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly dataDir: string,
    private readonly chain: Chain,
    private readonly onError: (e: unknown) => void,
  ) {}

  request(): Promise<void> {
    if (this.writing) {
      this.again = true;
      return this.writing;
    }
    this.writing = this.loop().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.writeOnce();
      } catch (e) {
        this.onError(e);
      }
    } while (this.again);
  }

  private async writeOnce(): Promise<void> {
    await fs.mkdir(this.dataDir, { recursive: true });
    const target = statePath(this.dataDir);
    const tmp = `${target}.${process.pid}.tmp`;
    const text = serialize(this.chain);
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  }

  /** Waits for any write in flight, then writes the current state. */
  async flush(): Promise<void> {
    if (this.writing) await this.writing;
    await this.request();
  }
}
