import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '@app/auth';
import { ApiErrors, AppError, ErrorCode, formatUsdtAmount } from '@app/common';
import { TronClient, TronNetwork } from '@app/tron';

import { toTransferView } from '../domain/transfer-view';
import { AddressParams, AllowanceParams, TxidParams } from '../dto/chain-params.dto';
import {
  AllowanceDto,
  BalanceDto,
  ContractInfoDto,
  HistoryPageDto,
  TransactionViewDto,
} from '../dto/chain-views.dto';
import { HistoryQuery } from '../dto/list-transfers.query';
import { QueryTransfers } from '../use-cases/query-transfers';
import { WalletFunds } from '../worker/wallet-funds';

/** Reads of chain truth: the contract, balances, allowances, transactions (joined with our records). */
@ApiTags('chain')
// Every route asks the node: unreachable (503), or the configured contract is not USDT (502).
@ApiErrors(ErrorCode.NODE_UNAVAILABLE, ErrorCode.CONTRACT_UNAVAILABLE)
@Controller('api/v1/tron/usdt')
export class ChainController {
  constructor(
    private readonly tron: TronClient,
    private readonly network: TronNetwork,
    private readonly transfers: QueryTransfers,
    private readonly funds: WalletFunds,
  ) {}

  @Get('contract/info')
  @Roles('viewer')
  @ApiOperation({ summary: 'USDT contract: address, name, symbol, decimals, total supply, network' })
  @ApiOkResponse({ type: ContractInfoDto })
  async contractInfo() {
    const info = await this.tron.contractInfo();
    return {
      address: info.address,
      name: info.name,
      symbol: info.symbol,
      decimals: info.decimals,
      totalSupply: formatUsdtAmount(info.totalSupplyRaw),
      totalSupplyRaw: info.totalSupplyRaw.toString(),
      network: this.network.name,
    };
  }

  @Get('balance/:address')
  @Roles('viewer')
  @ApiOperation({ summary: 'USDT and TRX balance of an address' })
  @ApiOkResponse({ type: BalanceDto })
  @ApiErrors(ErrorCode.INVALID_ADDRESS)
  async balance(@Param() { address: owner }: AddressParams) {
    // As of the current block: repeated reads of one address within a block cost no node call.
    const { usdtRaw, trxSun } = await this.funds.balancesOf(owner);
    return {
      address: owner,
      balance: formatUsdtAmount(usdtRaw),
      balanceRaw: usdtRaw.toString(),
      trxSun: trxSun.toString(),
    };
  }

  @Get('allowance/:owner/:spender')
  @Roles('viewer')
  @ApiOperation({ summary: 'TRC-20 allowance the owner granted the spender' })
  @ApiOkResponse({ type: AllowanceDto })
  @ApiErrors(ErrorCode.INVALID_ADDRESS)
  async allowance(@Param() { owner, spender }: AllowanceParams) {
    const value = await this.tron.allowance(owner, spender);
    return { owner, spender, allowance: formatUsdtAmount(value), allowanceRaw: value.toString() };
  }

  @Get('transaction/:txid')
  @Roles('viewer')
  @ApiOperation({
    summary: 'A transaction as the node sees it, joined with our transfer when it is one of ours',
  })
  @ApiOkResponse({ type: TransactionViewDto })
  @ApiErrors(ErrorCode.INVALID_TXID, ErrorCode.TRANSACTION_NOT_FOUND)
  async transaction(@Param() { txid }: TxidParams) {
    const id = txid.toLowerCase();
    const [onChain, receipt, solidified, ours] = await Promise.all([
      this.tron.getTransaction(id),
      this.tron.getTransactionInfo(id),
      this.tron.getSolidifiedTransactionInfo(id),
      this.transfers.findByTxid(id),
    ]);
    if (!onChain && !ours) throw new AppError(ErrorCode.TRANSACTION_NOT_FOUND);
    return {
      txid: id,
      found: Boolean(onChain),
      solidified: Boolean(solidified),
      blockNumber: receipt?.blockNumber ?? null,
      blockTimestamp: receipt?.blockTimestamp ?? null,
      result: receipt?.result ?? onChain?.contractRet ?? null,
      energyUsed: receipt?.energyUsed.toString() ?? null,
      feeSun: receipt?.feeSun.toString() ?? null,
      transfers: (receipt?.trc20Transfers ?? []).map((t) => ({
        from: t.from,
        to: t.to,
        amount: formatUsdtAmount(t.valueRaw),
        amountRaw: t.valueRaw.toString(),
      })),
      transfer: ours ? toTransferView(ours) : null,
    };
  }

  @Get('transactions/:address')
  @Roles('viewer')
  @ApiOperation({ summary: 'TRC-20 USDT history of an address (TronGrid v1), paginated by fingerprint' })
  @ApiOkResponse({ type: HistoryPageDto })
  @ApiErrors(ErrorCode.INVALID_ADDRESS, ErrorCode.INVALID_QUERY)
  async history(@Param() { address }: AddressParams, @Query() q: HistoryQuery) {
    const page = await this.tron.trc20History(address, {
      limit: q.limit ?? 20,
      fingerprint: q.fingerprint,
    });
    return {
      items: page.items.map((item) => ({
        txid: item.txid,
        from: item.from,
        to: item.to,
        amount: formatUsdtAmount(item.valueRaw),
        amountRaw: item.valueRaw.toString(),
        blockTimestamp: item.blockTimestamp,
        type: item.type,
      })),
      nextFingerprint: page.nextFingerprint ?? null,
    };
  }
}
