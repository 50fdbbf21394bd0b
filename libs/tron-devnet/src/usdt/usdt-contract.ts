import {
  AbiStaticType,
  AbiValue,
  decodeArgs,
  encodeAddressWord,
  encodeBool,
  encodeString,
  encodeUint,
  selectorOf,
  topicOf,
} from '../codec/abi';
import { AbiEntry, canonicalSignature, TETHER_ABI } from './tether-abi';

/**
 * Energy charged per call. Transfer figures follow mainnet USDT (about 64,285 to an address that already
 * holds USDT, 130,285 to one that does not: a zero -> non-zero storage slot); the others are close
 * approximations of what the TetherToken bytecode costs. The dynamic energy factor is not modelled.
 */
export const USDT_ENERGY = {
  transferToHolder: 64_285,
  transferToNewHolder: 130_285,
  transferFromExtra: 5_000,
  approveNewSlot: 46_215,
  approveExistingSlot: 23_215,
  ownerAction: 30_000,
  view: 540,
  revert: 12_000,
} as const;

export interface DecodedEvent {
  name: string;
  /** parameter values in ABI order; addresses as 41-hex, integers as bigint */
  args: Array<{ name: string; type: string; value: string | bigint }>;
}

export interface ContractLog {
  /** 41-hex of the emitting contract */
  address: string;
  topics: string[];
  data: string;
  event: DecodedEvent;
}

export interface CallOutcome {
  status: 'SUCCESS' | 'REVERT';
  /** ABI-encoded return data (hex) */
  output: string;
  energy: number;
  logs: ContractLog[];
  /** applies the state change; never called for constant calls, reverts or OUT_OF_ENERGY */
  commit: () => void;
}

export interface UsdtSnapshot {
  address: string;
  owner: string;
  name: string;
  symbol: string;
  decimals: number;
  totalSupply: string;
  paused: boolean;
  balances: Record<string, string>;
  allowances: Record<string, Record<string, string>>;
  blacklist: string[];
}

type Handler = (sender: string, args: AbiValue[]) => CallOutcome;

const noop = (): void => undefined;
const ZERO_ADDRESS = '41' + '0'.repeat(40);

/** The TRON TetherToken (USDT) behaviour: balances, allowances, pause, blacklist, owner functions. */
export class UsdtContract {
  readonly name = 'Tether USD';
  readonly symbol = 'USDT';
  readonly decimals = 6;
  owner: string;
  paused = false;
  totalSupply = 0n;
  readonly balances = new Map<string, bigint>();
  readonly allowances = new Map<string, Map<string, bigint>>();
  readonly blacklist = new Set<string>();
  private readonly handlers = new Map<string, { types: AbiStaticType[]; handler: Handler }>();
  private readonly events = new Map<string, { entry: AbiEntry; topic: string }>();

  constructor(
    readonly address: string,
    owner: string,
  ) {
    this.owner = owner;
    for (const entry of TETHER_ABI) {
      if (entry.type === 'Event')
        this.events.set(entry.name, { entry, topic: topicOf(canonicalSignature(entry)) });
    }
    this.registerHandlers();
  }

  balanceOf(address: string): bigint {
    return this.balances.get(address) ?? 0n;
  }

  allowance(owner: string, spender: string): bigint {
    return this.allowances.get(owner)?.get(spender) ?? 0n;
  }

  /** Devnet control: credit tokens out of thin air (totalSupply grows), no transaction. */
  mint(address: string, amount: bigint): void {
    this.balances.set(address, this.balanceOf(address) + amount);
    this.totalSupply += amount;
  }

  /** Executes a call. `data` is the calldata (4-byte selector + ABI arguments). */
  call(sender: string, data: Buffer, callValue: bigint): CallOutcome {
    if (data.length < 4 || callValue !== 0n) return this.revert();
    const h = this.handlers.get(data.subarray(0, 4).toString('hex'));
    if (!h) return this.revert();
    const args = decodeArgs(data.subarray(4), h.types);
    if (!args) return this.revert();
    return h.handler(sender, args);
  }

  private revert(): CallOutcome {
    return { status: 'REVERT', output: '', energy: USDT_ENERGY.revert, logs: [], commit: noop };
  }

  private ok(
    output: string,
    energy: number,
    logs: ContractLog[] = [],
    commit: () => void = noop,
  ): CallOutcome {
    return { status: 'SUCCESS', output, energy, logs, commit };
  }

  private log(name: string, values: Array<string | bigint>): ContractLog {
    const ev = this.events.get(name);
    if (!ev) throw new Error(`unknown event ${name}`);
    const topics = [ev.topic];
    let data = '';
    const args: DecodedEvent['args'] = [];
    (ev.entry.inputs ?? []).forEach((p, i) => {
      const v = values[i];
      const word = typeof v === 'bigint' ? encodeUint(v) : encodeAddressWord(v);
      if (p.indexed) topics.push(word);
      else data += word;
      args.push({ name: p.name, type: p.type, value: v });
    });
    return { address: this.address, topics, data, event: { name, args } };
  }

  private setBalance(address: string, value: bigint): void {
    if (value === 0n) this.balances.delete(address);
    else this.balances.set(address, value);
  }

  private setAllowance(owner: string, spender: string, value: bigint): void {
    let m = this.allowances.get(owner);
    if (!m) {
      m = new Map();
      this.allowances.set(owner, m);
    }
    if (value === 0n) m.delete(spender);
    else m.set(spender, value);
  }

  private move(from: string, to: string, value: bigint): void {
    this.setBalance(from, this.balanceOf(from) - value);
    this.setBalance(to, this.balanceOf(to) + value);
  }

  private registerHandlers(): void {
    const on = (signature: string, types: AbiStaticType[], handler: Handler): void => {
      this.handlers.set(selectorOf(signature), { types, handler });
    };
    const view = (output: string): CallOutcome => this.ok(output, USDT_ENERGY.view);
    const onlyOwner = (sender: string, action: () => CallOutcome): CallOutcome =>
      sender === this.owner ? action() : this.revert();

    on('name()', [], () => view(encodeString(this.name)));
    on('symbol()', [], () => view(encodeString(this.symbol)));
    on('decimals()', [], () => view(encodeUint(BigInt(this.decimals))));
    on('totalSupply()', [], () => view(encodeUint(this.totalSupply)));
    on('_totalSupply()', [], () => view(encodeUint(this.totalSupply)));
    on('balanceOf(address)', ['address'], (_s, [who]) => view(encodeUint(this.balanceOf(who as string))));
    on('allowance(address,address)', ['address', 'address'], (_s, [o, sp]) =>
      view(encodeUint(this.allowance(o as string, sp as string))),
    );
    on('paused()', [], () => view(encodeBool(this.paused)));
    on('owner()', [], () => view(encodeAddressWord(this.owner)));
    on('getOwner()', [], () => view(encodeAddressWord(this.owner)));
    on('isBlackListed(address)', ['address'], (_s, [a]) => view(encodeBool(this.blacklist.has(a as string))));
    on('getBlackListStatus(address)', ['address'], (_s, [a]) =>
      view(encodeBool(this.blacklist.has(a as string))),
    );

    // TRON's TetherToken: transfer/transferFrom return nothing, so their output is 32 zero bytes ("false")
    // even on success. Success is the receipt plus the Transfer log, never the return value.
    on('transfer(address,uint256)', ['address', 'uint256'], (sender, [to, value]) => {
      const v = value as bigint;
      const dest = to as string;
      if (this.paused || this.blacklist.has(sender) || this.balanceOf(sender) < v) return this.revert();
      const energy =
        this.balanceOf(dest) > 0n || dest === sender
          ? USDT_ENERGY.transferToHolder
          : USDT_ENERGY.transferToNewHolder;
      return this.ok(encodeBool(false), energy, [this.log('Transfer', [sender, dest, v])], () =>
        this.move(sender, dest, v),
      );
    });
    on(
      'transferFrom(address,address,uint256)',
      ['address', 'address', 'uint256'],
      (sender, [from, to, value]) => {
        const v = value as bigint;
        const src = from as string;
        const dest = to as string;
        const allowed = this.allowance(src, sender);
        if (this.paused || this.blacklist.has(src) || this.balanceOf(src) < v || allowed < v)
          return this.revert();
        const energy =
          (this.balanceOf(dest) > 0n || dest === src
            ? USDT_ENERGY.transferToHolder
            : USDT_ENERGY.transferToNewHolder) + USDT_ENERGY.transferFromExtra;
        return this.ok(encodeBool(false), energy, [this.log('Transfer', [src, dest, v])], () => {
          // TetherToken leaves an "infinite" (MAX_UINT) allowance untouched
          if (allowed < (1n << 256n) - 1n) this.setAllowance(src, sender, allowed - v);
          this.move(src, dest, v);
        });
      },
    );
    on('approve(address,uint256)', ['address', 'uint256'], (sender, [spender, value]) => {
      const v = value as bigint;
      const sp = spender as string;
      const current = this.allowance(sender, sp);
      // TetherToken: to change a non-zero allowance it must first be set to zero (approve is not pausable)
      if (v !== 0n && current !== 0n) return this.revert();
      const energy =
        current === 0n && v !== 0n ? USDT_ENERGY.approveNewSlot : USDT_ENERGY.approveExistingSlot;
      return this.ok(encodeBool(true), energy, [this.log('Approval', [sender, sp, v])], () =>
        this.setAllowance(sender, sp, v),
      );
    });
    on('pause()', [], (s) =>
      onlyOwner(s, () =>
        this.paused
          ? this.revert()
          : this.ok('', USDT_ENERGY.ownerAction, [this.log('Pause', [])], () => (this.paused = true)),
      ),
    );
    on('unpause()', [], (s) =>
      onlyOwner(s, () =>
        !this.paused
          ? this.revert()
          : this.ok('', USDT_ENERGY.ownerAction, [this.log('Unpause', [])], () => (this.paused = false)),
      ),
    );
    on('addBlackList(address)', ['address'], (s, [a]) =>
      onlyOwner(s, () =>
        this.ok('', USDT_ENERGY.ownerAction, [this.log('AddedBlackList', [a as string])], () =>
          this.blacklist.add(a as string),
        ),
      ),
    );
    on('removeBlackList(address)', ['address'], (s, [a]) =>
      onlyOwner(s, () =>
        this.ok('', USDT_ENERGY.ownerAction, [this.log('RemovedBlackList', [a as string])], () =>
          this.blacklist.delete(a as string),
        ),
      ),
    );
    on('destroyBlackFunds(address)', ['address'], (s, [a]) =>
      onlyOwner(s, () => {
        const user = a as string;
        if (!this.blacklist.has(user)) return this.revert();
        const funds = this.balanceOf(user);
        return this.ok('', USDT_ENERGY.ownerAction, [this.log('DestroyedBlackFunds', [user, funds])], () => {
          this.setBalance(user, 0n);
          this.totalSupply -= funds;
        });
      }),
    );
    on('issue(uint256)', ['uint256'], (s, [amount]) =>
      onlyOwner(s, () => {
        const v = amount as bigint;
        return this.ok('', USDT_ENERGY.ownerAction, [this.log('Issue', [v])], () => {
          this.setBalance(this.owner, this.balanceOf(this.owner) + v);
          this.totalSupply += v;
        });
      }),
    );
    on('redeem(uint256)', ['uint256'], (s, [amount]) =>
      onlyOwner(s, () => {
        const v = amount as bigint;
        if (this.balanceOf(this.owner) < v) return this.revert();
        return this.ok('', USDT_ENERGY.ownerAction, [this.log('Redeem', [v])], () => {
          this.setBalance(this.owner, this.balanceOf(this.owner) - v);
          this.totalSupply -= v;
        });
      }),
    );
    on('transferOwnership(address)', ['address'], (s, [a]) =>
      onlyOwner(s, () => {
        const next = a as string;
        if (next === ZERO_ADDRESS) return this.ok('', USDT_ENERGY.ownerAction);
        return this.ok(
          '',
          USDT_ENERGY.ownerAction,
          [this.log('OwnershipTransferred', [this.owner, next])],
          () => {
            this.owner = next;
          },
        );
      }),
    );
  }

  snapshot(): UsdtSnapshot {
    const allowances: UsdtSnapshot['allowances'] = {};
    for (const [o, m] of this.allowances) {
      if (m.size) allowances[o] = Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]));
    }
    return {
      address: this.address,
      owner: this.owner,
      name: this.name,
      symbol: this.symbol,
      decimals: this.decimals,
      totalSupply: this.totalSupply.toString(),
      paused: this.paused,
      balances: Object.fromEntries([...this.balances].map(([k, v]) => [k, v.toString()])),
      allowances,
      blacklist: [...this.blacklist],
    };
  }

  static restore(s: UsdtSnapshot): UsdtContract {
    const c = new UsdtContract(s.address, s.owner);
    c.paused = s.paused;
    c.totalSupply = BigInt(s.totalSupply);
    for (const [k, v] of Object.entries(s.balances)) c.balances.set(k, BigInt(v));
    for (const [o, m] of Object.entries(s.allowances)) {
      for (const [sp, v] of Object.entries(m)) c.setAllowance(o, sp, BigInt(v));
    }
    for (const a of s.blacklist) c.blacklist.add(a);
    return c;
  }
}
