import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { ChainFollowerModule } from '@app/tron';
import { WalletsModule } from '@app/wallets';

import { ChainController } from './http/chain.controller';
import { TransfersController } from './http/transfers.controller';
import { MongooseTransferRepository } from './persistence/mongoose-transfer.repository';
import { TransferTransitions } from './persistence/transfer-transitions';
import { TransferRepository } from './persistence/transfer.repository';
import { TransferDoc, TransferSchema } from './persistence/transfer.schema';
import { TransferStatsCounters } from './persistence/transfer-stats-counters';
import { TransferStatsDoc, TransferStatsSchema } from './persistence/transfer-stats.schema';
import { MongooseWalletOutflowStore } from './persistence/mongoose-wallet-outflow.store';
import { WalletOutflowDoc, WalletOutflowSchema } from './persistence/wallet-outflow.schema';
import { WalletOutflowStore } from './persistence/wallet-outflow.store';
import { CancelTransfer } from './use-cases/cancel-transfer';
import { DestinationGuard } from './use-cases/destination-guard';
import { QueryTransfers } from './use-cases/query-transfers';
import { PayingWallet } from './use-cases/paying-wallet';
import { RequestBatch } from './use-cases/request-batch';
import { RequestOperation } from './use-cases/request-operation';
import { TransferStats } from './use-cases/transfer-stats';
import { BroadcastSigned } from './worker/broadcast-signed';
import { ChainHeads } from './worker/chain-heads';
import { DisabledWalletsHint } from './worker/disabled-wallets-hint';
import { PipelineContext } from './worker/pipeline-context';
import { PrepareAndSign } from './worker/prepare-and-sign';
import { SettleFromBlocks } from './worker/settle-from-blocks';
import { TrackOnChain } from './worker/track-on-chain';
import { EventDeliveries } from './worker/event-deliveries';
import { StatsSubscriber } from './worker/stats-subscriber';
import { TransferEventRedelivery } from './worker/transfer-event-redelivery';
import { TransferEvents, transferMetricProviders } from './worker/transfer-events';
import { TransferWorker } from './worker/transfer-worker';
import { OutflowLedger, outflowMetricProviders } from './worker/outflow-ledger';
import { WalletFunds } from './worker/wallet-funds';
import { WatchedTransactions } from './worker/watched-transactions';

/**
 * Transfers and TRC-20 approves: intake with idempotency, the policy seam, the signing/broadcast pipeline and
 * the confirmation tracker. `TransferPolicy` and `OutgoingGate` are not bound here: the global governance
 * module provides them (compliance and approvals; the emergency stop), so nothing can be wired without them.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: TransferDoc.name, schema: TransferSchema },
      { name: TransferStatsDoc.name, schema: TransferStatsSchema },
      { name: WalletOutflowDoc.name, schema: WalletOutflowSchema },
    ]),
    WalletsModule,
    ChainFollowerModule,
  ],
  controllers: [TransfersController, ChainController],
  providers: [
    { provide: TransferRepository, useClass: MongooseTransferRepository },
    { provide: WalletOutflowStore, useClass: MongooseWalletOutflowStore },
    ...transferMetricProviders,
    ...outflowMetricProviders,
    TransferEvents,
    TransferTransitions,
    EventDeliveries,
    TransferEventRedelivery,
    TransferStatsCounters,
    StatsSubscriber,
    PipelineContext,
    PayingWallet,
    DestinationGuard,
    RequestOperation,
    RequestBatch,
    CancelTransfer,
    QueryTransfers,
    TransferStats,
    BroadcastSigned,
    PrepareAndSign,
    ChainHeads,
    TrackOnChain,
    WatchedTransactions,
    WalletFunds,
    OutflowLedger,
    SettleFromBlocks,
    DisabledWalletsHint,
    TransferWorker,
  ],
  exports: [TransferRepository, TransferTransitions, TransferEvents, QueryTransfers, PipelineContext],
})
export class TransfersModule {}
