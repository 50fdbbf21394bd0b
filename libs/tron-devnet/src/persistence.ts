import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { decodeRawTransaction } from './codec/transaction';
import { Account, BlockRecord, PendingTx, TxInfo, TxRecord } from './chain/types';
import { Chain, OtherContract } from './chain/chain';
import { ContractLog } from './usdt/usdt-contract';
import { UsdtContract, UsdtSnapshot } from './usdt/usdt-contract';

/**
 * Persistence in two files, so that a write costs what changed since the last one, not the whole history:
 * - `devnet-blocks.jsonl`, the blocks with their transactions, one line per block, appended once each (a
 *   block never changes after it is produced);
 * - `devnet-state.json`, everything that does change (accounts, the token's state, contracts, the pending
 *   pool) and how many journal lines it goes with, written atomically (temp file + rename) after the lines
 *   it counts are on disk.
 * Lines beyond that count (a crash between the two writes) are dropped at the next start: the state file
 * says what the chain was. Written after blocks (debounced), on demand and on stop; never per transaction.
 * A version 1 state file (the whole chain in one file) is read as before and rewritten as version 2.
 */

const FILE = 'devnet-state.json';
const JOURNAL = 'devnet-blocks.jsonl';
const VERSION = 2;

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

/** What changes as the chain runs, besides the blocks. */
interface MutableState {
  version: number;
  seed: string;
  accountCount: number;
  solidityLag: number;
  accounts: Array<Omit<Account, 'balance'> & { balance: string }>;
  usdt: UsdtSnapshot;
  /** Contracts deployed with the control API (absent in snapshots written before they existed). */
  otherContracts?: Array<[string, OtherContract]>;
  pending: Array<{ raw: string; sigs: string[]; netBytes: number }>;
}

/** What the state file holds; version 1 also held `blocks` and `txs`, now the journal's. */
interface StateFile extends MutableState {
  /** version 2: the journal lines (blocks) this state goes with */
  blockCount?: number;
  blocks?: BlockRecord[];
  txs?: StoredTx[];
}

/** One journal line: a block and its transactions. */
interface JournalLine {
  block: BlockRecord;
  txs: StoredTx[];
}

/** The whole chain as read back. */
export interface StoredState extends MutableState {
  blocks: BlockRecord[];
  txs: StoredTx[];
  /** Bytes of the journal that hold these blocks: anything after them is dropped before the next append. */
  journalBytes: number;
}

export function statePath(dataDir: string): string {
  return path.join(dataDir, FILE);
}

function storedTx(t: TxRecord): StoredTx {
  return {
    id: t.id,
    raw: t.rawBytes.toString('hex'),
    sigs: t.signatures.map((sig) => sig.toString('hex')),
    blockNumber: t.blockNumber,
    blockTimestamp: t.blockTimestamp,
    info: {
      ...t.info,
      fee: t.info.fee.toString(),
      energyFee: t.info.energyFee.toString(),
      netFee: t.info.netFee.toString(),
      logs: t.info.logs.map((l) => ({
        ...l,
        event: {
          name: l.event.name,
          args: l.event.args.map((arg) => ({ ...arg, value: arg.value.toString() })),
        },
      })),
    },
  };
}

/** The journal lines of blocks [from, to), newline-terminated. */
export function journalLines(chain: Chain, from: number, to: number): string {
  let text = '';
  for (const block of chain.blocks.slice(from, to)) {
    const txs = block.txIds.flatMap((id) => {
      const tx = chain.txs.get(id);
      return tx ? [storedTx(tx)] : [];
    });
    text += `${JSON.stringify({ block, txs } satisfies JournalLine)}\n`;
  }
  return text;
}

/** Everything but the blocks, for a chain whose first `blockCount` blocks are in the journal. */
export function serializeState(chain: Chain, blockCount: number): string {
  const state: StateFile = {
    version: VERSION,
    seed: chain.options.seed,
    accountCount: chain.keys.length,
    solidityLag: chain.solidityLag,
    accounts: [...chain.accounts.values()].map((a) => ({ ...a, balance: a.balance.toString() })),
    usdt: chain.usdt.snapshot(),
    otherContracts: [...chain.otherContracts.entries()],
    pending: chain.pending.map((p) => ({
      raw: p.rawBytes.toString('hex'),
      sigs: p.signatures.map((sig) => sig.toString('hex')),
      netBytes: p.netBytes,
    })),
    blockCount,
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
  const { blockCount, blocks, txs, ...state } = JSON.parse(text) as StateFile;
  if (state.version === 1) return { ...state, blocks: blocks ?? [], txs: txs ?? [], journalBytes: 0 };
  if (state.version !== VERSION) throw new Error(`unsupported devnet state version ${state.version}`);
  const journal = await readJournal(dataDir, blockCount ?? 0);
  return { ...state, ...journal };
}

/** The first `count` lines of the journal: their blocks, transactions and byte length. */
async function readJournal(
  dataDir: string,
  count: number,
): Promise<Pick<StoredState, 'blocks' | 'txs' | 'journalBytes'>> {
  const read: Pick<StoredState, 'blocks' | 'txs' | 'journalBytes'> = { blocks: [], txs: [], journalBytes: 0 };
  if (count === 0) return read;
  const text = await fs.readFile(path.join(dataDir, JOURNAL), 'utf8');
  let start = 0;
  while (read.blocks.length < count) {
    const end = text.indexOf('\n', start);
    if (end < 0) throw new Error(`devnet journal holds fewer than the ${count} blocks its state counts`);
    const line = JSON.parse(text.slice(start, end)) as JournalLine;
    read.blocks.push(line.block);
    read.txs.push(...line.txs);
    start = end + 1;
  }
  read.journalBytes = Buffer.byteLength(text.slice(0, start), 'utf8');
  return read;
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
  /** Blocks already in the journal, and the bytes that hold them. */
  private journaled: number;
  private journalBytes: number;
  /**
   * Journal bytes to keep before the next append: set at start (what a crash may have left after them is
   * dropped) and after a failed append (its torn part would otherwise sit before the lines written again).
   */
  private keepBytes: number | undefined;

  /** `restored`: what the chain was read from (its blocks are in the journal if it was version 2). */
  constructor(
    private readonly dataDir: string,
    private readonly chain: Chain,
    private readonly onError: (e: unknown) => void,
    restored?: Pick<StoredState, 'version' | 'blocks' | 'journalBytes'>,
  ) {
    const current = restored?.version === VERSION;
    this.journaled = current ? restored.blocks.length : 0;
    this.journalBytes = current ? restored.journalBytes : 0;
    this.keepBytes = this.journalBytes;
  }

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
    const blockCount = this.chain.blocks.length;
    if (this.keepBytes !== undefined) {
      await truncate(path.join(this.dataDir, JOURNAL), this.keepBytes);
      this.keepBytes = undefined;
    }
    if (blockCount > this.journaled) {
      const lines = journalLines(this.chain, this.journaled, blockCount);
      try {
        await writeSynced(path.join(this.dataDir, JOURNAL), lines, 'a');
      } catch (e) {
        this.keepBytes = this.journalBytes;
        throw e;
      }
      this.journaled = blockCount;
      this.journalBytes += Buffer.byteLength(lines, 'utf8');
    }
    const target = statePath(this.dataDir);
    const tmp = `${target}.${process.pid}.tmp`;
    await writeSynced(tmp, serializeState(this.chain, blockCount), 'w');
    await fs.rename(tmp, target);
  }

  /** Waits for any write in flight, then writes the current state. */
  async flush(): Promise<void> {
    if (this.writing) await this.writing;
    await this.request();
  }
}

async function writeSynced(file: string, text: string, flags: 'a' | 'w'): Promise<void> {
  const handle = await fs.open(file, flags);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function truncate(file: string, bytes: number): Promise<void> {
  try {
    await fs.truncate(file, bytes);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
