import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsUsdtAmount } from '@app/common';

/**
 * The security policy document as written in `config/security-policies.yaml` and accepted by `PUT /policies`.
 * Amounts are USDT decimal strings, as everywhere at the edge; `parsePolicies` turns them into base units.
 * Every field is required: a policy that silently falls back to a default is a policy nobody reviewed.
 */

/** What a monitoring rule does when it fires: hold the transfer for admins, or refuse it. */
export const RULE_ACTIONS = ['approval', 'block'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const KYC_LEVELS = ['none', 'basic', 'enhanced', 'full'] as const;
export type KycLevel = (typeof KYC_LEVELS)[number];

export const PROVIDER_FAILURE_MODES = ['fail_closed', 'fail_open'] as const;
export type ProviderFailureMode = (typeof PROVIDER_FAILURE_MODES)[number];

const MINUTES_IN_A_YEAR = 525_600;

export class VelocityLimitDoc {
  @IsInt() @Min(1) @Max(MINUTES_IN_A_YEAR) windowMinutes!: number;
  @IsInt() @Min(1) maxCount!: number;
  @IsUsdtAmount() maxVolume!: string;
}

export class LimitsDoc {
  @IsUsdtAmount() singleMax!: string;
  @IsUsdtAmount() walletDaily!: string;
  @IsUsdtAmount() walletMonthly!: string;
  @IsUsdtAmount() networkDaily!: string;
  @ValidateNested() @Type(() => VelocityLimitDoc) destinationVelocity!: VelocityLimitDoc;
}

export class KycLevelLimitsDoc {
  @IsUsdtAmount() singleMax!: string;
  @IsUsdtAmount() dailyMax!: string;
}

export class KycLevelsDoc {
  @ValidateNested() @Type(() => KycLevelLimitsDoc) none!: KycLevelLimitsDoc;
  @ValidateNested() @Type(() => KycLevelLimitsDoc) basic!: KycLevelLimitsDoc;
  @ValidateNested() @Type(() => KycLevelLimitsDoc) enhanced!: KycLevelLimitsDoc;
  @ValidateNested() @Type(() => KycLevelLimitsDoc) full!: KycLevelLimitsDoc;
}

export class KycDoc {
  @ValidateNested() @Type(() => KycLevelsDoc) levels!: KycLevelsDoc;
}

export class ScreeningProviderDoc {
  @IsBoolean() enabled!: boolean;
  @IsInt() @Min(100) @Max(60_000) timeoutMs!: number;
  @IsIn(PROVIDER_FAILURE_MODES) onError!: ProviderFailureMode;
}

export class ScreeningDoc {
  @IsBoolean() contractBlacklist!: boolean;
  @IsBoolean() allowlistMode!: boolean;
  @ValidateNested() @Type(() => ScreeningProviderDoc) provider!: ScreeningProviderDoc;
}

export class FirstPayoutRuleDoc {
  @IsBoolean() enabled!: boolean;
  @IsUsdtAmount() above!: string;
  @IsIn(RULE_ACTIONS) action!: RuleAction;
}

export class StructuringRuleDoc {
  @IsBoolean() enabled!: boolean;
  @IsInt() @Min(1) @Max(MINUTES_IN_A_YEAR) windowMinutes!: number;
  /** This many payouts (counting the new one) just under the approval threshold within the window. */
  @IsInt() @Min(2) count!: number;
  /** "Just under": within this percentage below the high-value threshold. */
  @IsInt() @Min(1) @Max(99) withinPercent!: number;
  @IsIn(RULE_ACTIONS) action!: RuleAction;
}

export class RoundAmountRuleDoc {
  @IsBoolean() enabled!: boolean;
  @IsUsdtAmount() atLeast!: string;
  @IsUsdtAmount() multipleOf!: string;
  @IsIn(RULE_ACTIONS) action!: RuleAction;
}

export class VelocityRuleDoc {
  @IsBoolean() enabled!: boolean;
  @IsInt() @Min(1) @Max(MINUTES_IN_A_YEAR) windowMinutes!: number;
  /** More payouts than this from one wallet within the window is a spike. */
  @IsInt() @Min(1) maxCount!: number;
  @IsIn(RULE_ACTIONS) action!: RuleAction;
}

/** Look-alike (address poisoning): how many characters at each end must match, after the leading `T`. */
export const LOOKALIKE_MAX_CHARS = 16;

export class LookalikeRuleDoc {
  @IsBoolean() enabled!: boolean;
  /** Characters after the `T` every address starts with (which tells nothing apart). */
  @IsInt() @Min(1) @Max(LOOKALIKE_MAX_CHARS) prefix!: number;
  @IsInt() @Min(1) @Max(LOOKALIKE_MAX_CHARS) suffix!: number;
  @IsIn(RULE_ACTIONS) action!: RuleAction;
}

export class MonitoringDoc {
  @ValidateNested() @Type(() => FirstPayoutRuleDoc) firstPayout!: FirstPayoutRuleDoc;
  @ValidateNested() @Type(() => StructuringRuleDoc) structuring!: StructuringRuleDoc;
  @ValidateNested() @Type(() => RoundAmountRuleDoc) roundAmount!: RoundAmountRuleDoc;
  @ValidateNested() @Type(() => VelocityRuleDoc) velocity!: VelocityRuleDoc;
  @ValidateNested() @Type(() => LookalikeRuleDoc) lookalike!: LookalikeRuleDoc;
}

export class QuorumWorkflowDoc {
  @IsUsdtAmount() threshold!: string;
  @IsInt() @Min(1) @Max(10) quorum!: number;
}

export class EmergencyWorkflowDoc {
  /** Distinct admins who must agree before signing resumes after an emergency stop. */
  @IsInt() @Min(1) @Max(10) resumeQuorum!: number;
}

export class PolicyChangeWorkflowDoc {
  /** Distinct admins (the proposer counting as one) who must approve a policy change; 1 applies it at once. */
  @IsInt() @Min(1) @Max(10) quorum!: number;
}

export class WorkflowsDoc {
  @ValidateNested() @Type(() => QuorumWorkflowDoc) high_value!: QuorumWorkflowDoc;
  @ValidateNested() @Type(() => QuorumWorkflowDoc) batch_transfer!: QuorumWorkflowDoc;
  @ValidateNested() @Type(() => EmergencyWorkflowDoc) emergency!: EmergencyWorkflowDoc;
  @ValidateNested() @Type(() => PolicyChangeWorkflowDoc) policy_change!: PolicyChangeWorkflowDoc;
}

export class ApprovalsDoc {
  /** A pending approval nobody decided within this time expires and releases its limits. */
  @IsInt() @Min(1) @Max(MINUTES_IN_A_YEAR) expiryMinutes!: number;
  @ValidateNested() @Type(() => WorkflowsDoc) workflows!: WorkflowsDoc;
}

export class RateLimitDoc {
  @IsInt() @Min(1) @Max(1_000_000) limit!: number;
  @IsInt() @Min(1) @Max(86_400) ttlSeconds!: number;
}

/** Route classes: every route belongs to exactly one (see libs/edge). */
export const RATE_LIMIT_CLASSES = ['public', 'read', 'money', 'admin'] as const;
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

export class RateLimitsDoc {
  @ValidateNested() @Type(() => RateLimitDoc) public!: RateLimitDoc;
  @ValidateNested() @Type(() => RateLimitDoc) read!: RateLimitDoc;
  @ValidateNested() @Type(() => RateLimitDoc) money!: RateLimitDoc;
  @ValidateNested() @Type(() => RateLimitDoc) admin!: RateLimitDoc;
}

export class IpAllowlistDoc {
  /** CIDRs (IPv4 or IPv6) allowed to call admin routes; empty allows any address. */
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) admin!: string[];
  /** CIDRs allowed to call any route; empty allows any address. */
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) all!: string[];
}

export class PolicyDocument {
  @IsInt() @Min(1) @Max(1) version!: number;
  @ValidateNested() @Type(() => LimitsDoc) limits!: LimitsDoc;
  @ValidateNested() @Type(() => KycDoc) kyc!: KycDoc;
  @ValidateNested() @Type(() => ScreeningDoc) screening!: ScreeningDoc;
  @ValidateNested() @Type(() => MonitoringDoc) monitoring!: MonitoringDoc;
  @ValidateNested() @Type(() => ApprovalsDoc) approvals!: ApprovalsDoc;
  @ValidateNested() @Type(() => RateLimitsDoc) rateLimits!: RateLimitsDoc;
  @ValidateNested() @Type(() => IpAllowlistDoc) ipAllowlist!: IpAllowlistDoc;
}
