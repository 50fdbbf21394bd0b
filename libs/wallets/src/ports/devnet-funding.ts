/**
 * What the devnet bootstrap needs from the TRON connection: whether it is the in-process devnet and a way to
 * credit an address there. Real networks have no `fund`; `isDevnet` is false and nothing is ever minted.
 */
export abstract class DevnetFunding {
  abstract readonly isDevnet: boolean;
  abstract fund(address: string, amounts: { trxSun: bigint; usdtRaw: bigint }): Promise<void>;
}
