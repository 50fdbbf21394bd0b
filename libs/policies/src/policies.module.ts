import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { PoliciesController } from './http/policies.controller';
import {
  MongoosePolicyRecordRepository,
  PolicyRecordRepository,
} from './persistence/policy-record.repository';
import { PolicyRecordDoc, PolicyRecordSchema } from './persistence/policy-record.schema';
import { PolicyStore } from './policy-store';
import { ReplacePolicies } from './use-cases/replace-policies';

/** The security policies (file, then run-time changes in the database) for every governance module. */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: PolicyRecordDoc.name, schema: PolicyRecordSchema }])],
  controllers: [PoliciesController],
  providers: [
    { provide: PolicyRecordRepository, useClass: MongoosePolicyRecordRepository },
    PolicyStore,
    ReplacePolicies,
  ],
  exports: [PolicyStore],
})
export class PoliciesModule {}
