import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { ComplianceModule } from '@app/compliance';
import { OutgoingGate, TransferPolicy, TransfersModule } from '@app/transfers';
import { WalletsModule } from '@app/wallets';

import { EmergencyGate } from './emergency/emergency-gate';
import {
  EmergencyStateRepository,
  MongooseEmergencyStateRepository,
} from './emergency/emergency-state.repository';
import { EmergencyStateDoc, EmergencyStateSchema } from './emergency/emergency-state.schema';
import { EmergencyStop, emergencyMetricProviders } from './emergency/emergency-stop';
import { ApprovalsController } from './http/approvals.controller';
import { EmergencyController } from './http/emergency.controller';
import { WalletControlsController } from './http/wallet-controls.controller';
import { GovernancePolicy } from './policy/governance-policy';
import { ApprovalSweeper } from './use-cases/approval-sweeper';
import { DecideApproval } from './use-cases/decide-approval';
import { ExpireApprovals } from './use-cases/expire-approvals';
import { WalletControls } from './wallets/wallet-controls';

/**
 * Governance of outgoing money: binds the transfers pipeline's `TransferPolicy` (compliance, then the
 * approval workflows) and `OutgoingGate` (the emergency stop) for the whole application, and serves the
 * approval queue, the emergency stop and the disabling of single hot wallets.
 */
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([{ name: EmergencyStateDoc.name, schema: EmergencyStateSchema }]),
    TransfersModule,
    WalletsModule,
    ComplianceModule,
  ],
  controllers: [ApprovalsController, EmergencyController, WalletControlsController],
  providers: [
    { provide: EmergencyStateRepository, useClass: MongooseEmergencyStateRepository },
    ...emergencyMetricProviders,
    EmergencyStop,
    { provide: OutgoingGate, useClass: EmergencyGate },
    { provide: TransferPolicy, useClass: GovernancePolicy },
    DecideApproval,
    ExpireApprovals,
    ApprovalSweeper,
    WalletControls,
  ],
  exports: [TransferPolicy, OutgoingGate, EmergencyStop],
})
export class ApprovalsModule {}
