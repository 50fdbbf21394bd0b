// PLACEHOLDER written by the lead so the app boots while libs/compliance is being built: replace freely.
import { Module } from '@nestjs/common';

import { ComplianceCheck } from './compliance-check';

@Module({ providers: [ComplianceCheck], exports: [ComplianceCheck] })
export class ComplianceModule {}
