import { utils } from 'tronweb';

import { encodeUint, selectorOf } from '../codec/abi';
import { CallOutcome } from '../usdt/usdt-contract';
import { AGGREGATE_SIGNATURE, GET_BLOCK_NUMBER_SIGNATURE, GET_ETH_BALANCE_SIGNATURE } from './multicall-abi';
import { MULTICALL_ENERGY, MulticallContract, MulticallHost } from './multicall-contract';

const abi = utils.ethersUtils.AbiCoder.defaultAbiCoder();
const MULTICALL = '41' + 'aa'.repeat(20);
const TOKEN = '41' + 'bb'.repeat(20);
const PERSON = '41' + 'cc'.repeat(20);
const HEAD = 1234;
const PING = selectorOf('ping()');

/** A host whose only contract, TOKEN, answers `ping()` with 7 (energy 500) and reverts anything else. */
function fakeHost(): MulticallHost & { seen: Array<{ target: string; sender: string; data: string }> } {
  const seen: Array<{ target: string; sender: string; data: string }> = [];
  return {
    seen,
    headNumber: () => HEAD,
    trxBalance: (address) => (address === PERSON ? 5_000_000n : 0n),
    call: (target, sender, data): CallOutcome | undefined => {
      seen.push({ target, sender, data: data.toString('hex') });
      if (target !== TOKEN) return undefined;
      const ok = data.toString('hex') === PING;
      return {
        status: ok ? 'SUCCESS' : 'REVERT',
        output: ok ? encodeUint(7n) : '',
        energy: ok ? 500 : 12_000,
        logs: [],
        commit: () => undefined,
      };
    },
  };
}

const aggregateData = (calls: Array<[string, string]>): Buffer =>
  Buffer.from(
    selectorOf(AGGREGATE_SIGNATURE) +
      abi.encode(['tuple(address,bytes)[]'], [calls.map(([t, d]) => ['0x' + t.slice(2), '0x' + d])]).slice(2),
    'hex',
  );

const decodeResult = (output: string): { blockNumber: bigint; returnData: string[] } => {
  const [blockNumber, returnData] = abi.decode(['uint256', 'bytes[]'], '0x' + output) as unknown as [
    bigint,
    string[],
  ];
  return { blockNumber, returnData: [...returnData] };
};

describe('MulticallContract', () => {
  let host: ReturnType<typeof fakeHost>;
  let multicall: MulticallContract;

  beforeEach(() => {
    host = fakeHost();
    multicall = new MulticallContract(MULTICALL, PERSON, host);
  });

  it('answers the head block number and an empty list for an empty aggregate', () => {
    const out = multicall.call(PERSON, aggregateData([]), 0n);
    expect(out.status).toBe('SUCCESS');
    expect(decodeResult(out.output)).toEqual({ blockNumber: BigInt(HEAD), returnData: [] });
    expect(out.energy).toBe(MULTICALL_ENERGY.aggregateBase);
    expect(host.seen).toEqual([]);
  });

  it('runs each call in order as the multicall with call value 0 and returns their data', () => {
    const out = multicall.call(
      PERSON,
      aggregateData([
        [TOKEN, PING],
        [TOKEN, PING],
      ]),
      0n,
    );
    expect(out.status).toBe('SUCCESS');
    expect(decodeResult(out.output)).toEqual({
      blockNumber: BigInt(HEAD),
      returnData: ['0x' + encodeUint(7n), '0x' + encodeUint(7n)],
    });
    expect(out.energy).toBe(MULTICALL_ENERGY.aggregateBase + 2 * (MULTICALL_ENERGY.perCall + 500));
    expect(host.seen).toEqual([
      { target: TOKEN, sender: MULTICALL, data: PING },
      { target: TOKEN, sender: MULTICALL, data: PING },
    ]);
  });

  it('reverts the whole aggregate when an inner call reverts, without running the calls after it', () => {
    const out = multicall.call(
      PERSON,
      aggregateData([
        [TOKEN, PING],
        [TOKEN, 'deadbeef'],
        [TOKEN, PING],
      ]),
      0n,
    );
    expect(out).toMatchObject({ status: 'REVERT', output: '', logs: [] });
    expect(out.energy).toBe(MULTICALL_ENERGY.aggregateBase + 2 * MULTICALL_ENERGY.perCall + 500 + 12_000);
    expect(host.seen).toHaveLength(2);
  });

  it('reverts when a target is not a contract the devnet executes', () => {
    const out = multicall.call(PERSON, aggregateData([[PERSON, PING]]), 0n);
    expect(out).toMatchObject({ status: 'REVERT', output: '' });
    expect(out.energy).toBe(MULTICALL_ENERGY.aggregateBase + MULTICALL_ENERGY.perCall);
  });

  it('reverts on malformed calldata instead of throwing', () => {
    const valid = aggregateData([[TOKEN, PING]]).toString('hex');
    const malformed = [
      '', // no selector
      '252dba', // short selector
      selectorOf(AGGREGATE_SIGNATURE), // no argument
      selectorOf(AGGREGATE_SIGNATURE) + encodeUint(32n), // offset past the end
      selectorOf(AGGREGATE_SIGNATURE) + encodeUint(32n) + 'f'.repeat(64), // absurd array length
      selectorOf(AGGREGATE_SIGNATURE) + encodeUint(32n) + encodeUint(1000n), // more items than bytes
      valid.slice(0, valid.length - 64), // truncated inner bytes
      // the target's address word with its upper bytes set (Solidity's decoder reverts)
      valid.slice(0, 8 + 4 * 64) + 'ff' + valid.slice(8 + 4 * 64 + 2),
      selectorOf('unknown()'),
    ];
    for (const hex of malformed) {
      const out = multicall.call(PERSON, Buffer.from(hex, 'hex'), 0n);
      expect(out).toMatchObject({ status: 'REVERT', output: '', energy: MULTICALL_ENERGY.revert });
    }
    expect(host.seen).toEqual([]);
  });

  it('ignores bytes after the encoded call list, as Solidity does', () => {
    const data = Buffer.concat([aggregateData([[TOKEN, PING]]), Buffer.from('abcd', 'hex')]);
    expect(multicall.call(PERSON, data, 0n).status).toBe('SUCCESS');
  });

  it('reverts on a call value (aggregate is not payable)', () => {
    expect(multicall.call(PERSON, aggregateData([]), 1n).status).toBe('REVERT');
  });

  it('answers getBlockNumber and nests a call into itself', () => {
    const getBlockNumber = selectorOf(GET_BLOCK_NUMBER_SIGNATURE);
    const direct = multicall.call(PERSON, Buffer.from(getBlockNumber, 'hex'), 0n);
    expect(direct).toMatchObject({ status: 'SUCCESS', output: encodeUint(BigInt(HEAD)) });
    const inner = aggregateData([[TOKEN, PING]]).toString('hex');
    const out = multicall.call(
      PERSON,
      aggregateData([
        [MULTICALL, inner],
        [MULTICALL, getBlockNumber],
      ]),
      0n,
    );
    expect(out.status).toBe('SUCCESS');
    const { returnData } = decodeResult(out.output);
    expect(decodeResult(returnData[0].slice(2)).returnData).toEqual(['0x' + encodeUint(7n)]);
    expect(returnData[1]).toBe('0x' + encodeUint(BigInt(HEAD)));
  });

  it("answers getEthBalance with an account's TRX, alone or inside an aggregate", () => {
    const balanceOf = (address: string) =>
      selectorOf(GET_ETH_BALANCE_SIGNATURE) + address.slice(2).padStart(64, '0');
    const direct = multicall.call(TOKEN, Buffer.from(balanceOf(PERSON), 'hex'), 0n);
    expect(direct).toMatchObject({ status: 'SUCCESS', output: encodeUint(5_000_000n) });
    const out = multicall.call(
      PERSON,
      aggregateData([
        [MULTICALL, balanceOf(PERSON)],
        [MULTICALL, balanceOf(TOKEN)],
      ]),
      0n,
    );
    expect(decodeResult(out.output)).toMatchObject({
      returnData: ['0x' + encodeUint(5_000_000n), '0x' + encodeUint(0n)],
    });
    const truncated = multicall.call(PERSON, Buffer.from(selectorOf(GET_ETH_BALANCE_SIGNATURE), 'hex'), 0n);
    expect(truncated.status).toBe('REVERT');
  });

  it('fails a call nested deeper than the TVM allows (64 calls)', () => {
    // the outer aggregate, then 62 calls into itself, then the call to TOKEN at depth 63
    let data = aggregateData([[TOKEN, PING]]);
    for (let i = 0; i < 62; i++) data = aggregateData([[MULTICALL, data.toString('hex')]]);
    expect(multicall.call(PERSON, data, 0n).status).toBe('SUCCESS');
    // one more level puts the call to TOKEN at depth 64
    data = aggregateData([[MULTICALL, data.toString('hex')]]);
    expect(multicall.call(PERSON, data, 0n).status).toBe('REVERT');
  });
});
