export {
  startDevnet,
  DEFAULT_ACCOUNTS,
  DEFAULT_BLOCK_INTERVAL_MS,
  DEFAULT_PORT,
  DEFAULT_SOLIDITY_LAG,
} from './devnet';
export type { DevnetAccountInfo, DevnetHandle, DevnetInfo, DevnetOptions, FundAmounts } from './devnet';
export type { BroadcastFault, DevnetFaults, FaultsInput } from './faults';
export type { ChainParameters } from './chain/types';
export { DEFAULT_CHAIN_PARAMETERS } from './chain/types';
export { USDT_ENERGY } from './usdt/usdt-contract';
export { TETHER_ABI } from './usdt/tether-abi';
export { MULTICALL_ENERGY } from './multicall/multicall-contract';
export { Chain } from './chain/chain';
