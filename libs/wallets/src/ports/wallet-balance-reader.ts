/** Live balances of one address, in base units. */
export interface WalletBalances {
  usdtRaw: bigint;
  trxSun: bigint;
}

/**
 * Reads balances from the TRON node. A port (abstract class = DI token) so the wallet registry works, and is
 * tested, without a node: the module binds it to an adapter over `TronClient`, and the CLI can run without it.
 */
export abstract class WalletBalanceReader {
  abstract balances(address: string): Promise<WalletBalances>;
}
