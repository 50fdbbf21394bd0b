import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { PoliciesController } from './http/policies.controller';
import { PolicyProposalsController } from './http/policy-proposals.controller';
import {
  MongoosePolicyProposalRepository,
  PolicyProposalRepository,
} from './persistence/policy-proposal.repository';
import { PolicyProposalDoc, PolicyProposalSchema } from './persistence/policy-proposal.schema';
import {
  MongoosePolicyRecordRepository,
  PolicyRecordRepository,
} from './persistence/policy-record.repository';
import { PolicyRecordDoc, PolicyRecordSchema } from './persistence/policy-record.schema';
import { PolicyStore } from './policy-store';
import { DecidePolicyProposal } from './use-cases/decide-policy-proposal';
import { ListPolicyProposals } from './use-cases/list-policy-proposals';
import { PolicyProposalSweeper } from './use-cases/policy-proposal-sweeper';
import { ProposePolicies } from './use-cases/propose-policies';
import { ReconcileProposal } from './use-cases/reconcile-proposal';
import { ReplacePolicies } from './use-cases/replace-policies';

/**
 * The security policies (file, then run-time changes in the database) for every governance module, and the
 * four-eyes proposals that change them.
 */
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: PolicyRecordDoc.name, schema: PolicyRecordSchema },
      { name: PolicyProposalDoc.name, schema: PolicyProposalSchema },
    ]),
  ],
  controllers: [PoliciesController, PolicyProposalsController],
  providers: [
    { provide: PolicyRecordRepository, useClass: MongoosePolicyRecordRepository },
    { provide: PolicyProposalRepository, useClass: MongoosePolicyProposalRepository },
    PolicyStore,
    ReplacePolicies,
    ProposePolicies,
    ReconcileProposal,
    ListPolicyProposals,
    DecidePolicyProposal,
    PolicyProposalSweeper,
  ],
  exports: [PolicyStore],
})
export class PoliciesModule {}
