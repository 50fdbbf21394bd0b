import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
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
 * Nested sections are declared with @Section (see there).
 * The @ApiProperty decorators describe the document in OpenAPI (PUT /policies).
 */

/** What a monitoring rule does when it fires: hold the transfer for admins, or refuse it. */
export const RULE_ACTIONS = ['approval', 'block'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const KYC_LEVELS = ['none', 'basic', 'enhanced', 'full'] as const;
export type KycLevel = (typeof KYC_LEVELS)[number];

export const PROVIDER_FAILURE_MODES = ['fail_closed', 'fail_open'] as const;
export type ProviderFailureMode = (typeof PROVIDER_FAILURE_MODES)[number];

const MINUTES_IN_A_YEAR = 525_600;

/**
 * A required nested section: @ValidateNested() alone lets a missing section through (hence @IsDefined) and
 * validates an array element by element (hence @IsObject): `emergency: []` passed and left the resume
 * quorum undefined, so that no vote could ever end an emergency stop.
 */
function Section(type: () => new () => object): PropertyDecorator {
  // @nestjs/swagger takes a function as a lazy type only when it is named `type`, as an arrow written in an
  // `{ type: () => X }` literal is; the one passed in here is anonymous and came out as a reference to
  // `#/components/schemas/` (no name), so no section of the policy document had a schema.
  const lazyType = { type: () => type() }.type;
  return applyDecorators(
    ApiProperty({ type: lazyType }),
    IsDefined(),
    IsObject(),
    ValidateNested(),
    Type(type),
  );
}

export class VelocityLimitDoc {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MINUTES_IN_A_YEAR })
  @IsInt()
  @Min(1)
  @Max(MINUTES_IN_A_YEAR)
  windowMinutes!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) @IsInt() @Min(1) maxCount!: number;
  @IsUsdtAmount() maxVolume!: string;
}

export class LimitsDoc {
  @IsUsdtAmount() singleMax!: string;
  @IsUsdtAmount() walletDaily!: string;
  @IsUsdtAmount() walletMonthly!: string;
  @IsUsdtAmount() networkDaily!: string;
  @Section(() => VelocityLimitDoc)
  destinationVelocity!: VelocityLimitDoc;
}

export class KycLevelLimitsDoc {
  @IsUsdtAmount() singleMax!: string;
  @IsUsdtAmount() dailyMax!: string;
}

export class KycLevelsDoc {
  @Section(() => KycLevelLimitsDoc)
  none!: KycLevelLimitsDoc;
  @Section(() => KycLevelLimitsDoc)
  basic!: KycLevelLimitsDoc;
  @Section(() => KycLevelLimitsDoc)
  enhanced!: KycLevelLimitsDoc;
  @Section(() => KycLevelLimitsDoc)
  full!: KycLevelLimitsDoc;
}

export class KycDoc {
  @Section(() => KycLevelsDoc)
  levels!: KycLevelsDoc;
}

export class ScreeningProviderDoc {
  @ApiProperty() @IsBoolean() enabled!: boolean;
  @ApiProperty({ type: 'integer', minimum: 100, maximum: 60_000 })
  @IsInt()
  @Min(100)
  @Max(60_000)
  timeoutMs!: number;
  @ApiProperty({ enum: PROVIDER_FAILURE_MODES }) @IsIn(PROVIDER_FAILURE_MODES) onError!: ProviderFailureMode;
}

export class ScreeningDoc {
  @ApiProperty() @IsBoolean() contractBlacklist!: boolean;
  @ApiProperty() @IsBoolean() allowlistMode!: boolean;
  @Section(() => ScreeningProviderDoc)
  provider!: ScreeningProviderDoc;
}

export class FirstPayoutRuleDoc {
  @ApiProperty() @IsBoolean() enabled!: boolean;
  @IsUsdtAmount() above!: string;
  @ApiProperty({ enum: RULE_ACTIONS }) @IsIn(RULE_ACTIONS) action!: RuleAction;
}

export class StructuringRuleDoc {
  @ApiProperty() @IsBoolean() enabled!: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MINUTES_IN_A_YEAR })
  @IsInt()
  @Min(1)
  @Max(MINUTES_IN_A_YEAR)
  windowMinutes!: number;
  /** This many payouts (counting the new one) just under the approval threshold within the window. */
  @ApiProperty({ type: 'integer', minimum: 2 }) @IsInt() @Min(2) count!: number;
  /** "Just under": within this percentage below the high-value threshold. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 99 }) @IsInt() @Min(1) @Max(99) withinPercent!: number;
  @ApiProperty({ enum: RULE_ACTIONS }) @IsIn(RULE_ACTIONS) action!: RuleAction;
}

export class RoundAmountRuleDoc {
  @ApiProperty() @IsBoolean() enabled!: boolean;
  @IsUsdtAmount() atLeast!: string;
  @IsUsdtAmount() multipleOf!: string;
  @ApiProperty({ enum: RULE_ACTIONS }) @IsIn(RULE_ACTIONS) action!: RuleAction;
}

export class VelocityRuleDoc {
  @ApiProperty() @IsBoolean() enabled!: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MINUTES_IN_A_YEAR })
  @IsInt()
  @Min(1)
  @Max(MINUTES_IN_A_YEAR)
  windowMinutes!: number;
  /** More payouts than this from one wallet within the window is a spike. */
  @ApiProperty({ type: 'integer', minimum: 1 }) @IsInt() @Min(1) maxCount!: number;
  @ApiProperty({ enum: RULE_ACTIONS }) @IsIn(RULE_ACTIONS) action!: RuleAction;
}

/** Look-alike (address poisoning): how many characters at each end must match, after the leading `T`. */
export const LOOKALIKE_MAX_CHARS = 16;

export class LookalikeRuleDoc {
  @ApiProperty() @IsBoolean() enabled!: boolean;
  /** Characters after the `T` every address starts with (which tells nothing apart). */
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: LOOKALIKE_MAX_CHARS,
    description: 'characters after the leading T that must match',
  })
  @IsInt()
  @Min(1)
  @Max(LOOKALIKE_MAX_CHARS)
  prefix!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: LOOKALIKE_MAX_CHARS,
    description: 'characters at the end that must match',
  })
  @IsInt()
  @Min(1)
  @Max(LOOKALIKE_MAX_CHARS)
  suffix!: number;
  @ApiProperty({ enum: RULE_ACTIONS }) @IsIn(RULE_ACTIONS) action!: RuleAction;
}

export class MonitoringDoc {
  @Section(() => FirstPayoutRuleDoc)
  firstPayout!: FirstPayoutRuleDoc;
  @Section(() => StructuringRuleDoc)
  structuring!: StructuringRuleDoc;
  @Section(() => RoundAmountRuleDoc)
  roundAmount!: RoundAmountRuleDoc;
  @Section(() => VelocityRuleDoc)
  velocity!: VelocityRuleDoc;
  @Section(() => LookalikeRuleDoc)
  lookalike!: LookalikeRuleDoc;
}

export class QuorumWorkflowDoc {
  @IsUsdtAmount() threshold!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10 }) @IsInt() @Min(1) @Max(10) quorum!: number;
}

export class EmergencyWorkflowDoc {
  /** Distinct admins who must agree before signing resumes after an emergency stop. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10 }) @IsInt() @Min(1) @Max(10) resumeQuorum!: number;
}

export class PolicyChangeWorkflowDoc {
  /** Distinct admins (the proposer counting as one) who must approve a policy change; 1 applies it at once. */
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 10,
    description:
      'distinct admins (the proposer counting as one) who must approve a policy change; 1 applies it at once',
  })
  @IsInt()
  @Min(1)
  @Max(10)
  quorum!: number;
}

export class WorkflowsDoc {
  @Section(() => QuorumWorkflowDoc)
  high_value!: QuorumWorkflowDoc;
  @Section(() => QuorumWorkflowDoc)
  batch_transfer!: QuorumWorkflowDoc;
  @Section(() => EmergencyWorkflowDoc)
  emergency!: EmergencyWorkflowDoc;
  @Section(() => PolicyChangeWorkflowDoc)
  policy_change!: PolicyChangeWorkflowDoc;
}

export class ApprovalsDoc {
  /** A pending approval nobody decided within this time expires and releases its limits. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MINUTES_IN_A_YEAR })
  @IsInt()
  @Min(1)
  @Max(MINUTES_IN_A_YEAR)
  expiryMinutes!: number;
  @Section(() => WorkflowsDoc)
  workflows!: WorkflowsDoc;
}

export class RateLimitDoc {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  limit!: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 86_400 })
  @IsInt()
  @Min(1)
  @Max(86_400)
  ttlSeconds!: number;
}

/** Route classes: every route belongs to exactly one (see libs/edge). */
export const RATE_LIMIT_CLASSES = ['public', 'read', 'money', 'admin'] as const;
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

export class RateLimitsDoc {
  @Section(() => RateLimitDoc)
  public!: RateLimitDoc;
  @Section(() => RateLimitDoc)
  read!: RateLimitDoc;
  @Section(() => RateLimitDoc)
  money!: RateLimitDoc;
  @Section(() => RateLimitDoc)
  admin!: RateLimitDoc;
}

/** IPv4/IPv6 addresses or CIDRs; `format: ip-or-cidr` names the rule parsePolicies applies to each. */
const CIDR_LIST = {
  type: 'array',
  items: { type: 'string', format: 'ip-or-cidr' },
  maxItems: 1000,
} as const;

export class IpAllowlistDoc {
  /** CIDRs (IPv4 or IPv6) allowed to call admin routes; empty allows any address. */
  @ApiProperty(CIDR_LIST)
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  admin!: string[];
  /** CIDRs allowed to call any route; empty allows any address. */
  @ApiProperty(CIDR_LIST)
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  all!: string[];
}

export class PolicyDocument {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1 }) @IsInt() @Min(1) @Max(1) version!: number;
  @Section(() => LimitsDoc)
  limits!: LimitsDoc;
  @Section(() => KycDoc) kyc!: KycDoc;
  @Section(() => ScreeningDoc)
  screening!: ScreeningDoc;
  @Section(() => MonitoringDoc)
  monitoring!: MonitoringDoc;
  @Section(() => ApprovalsDoc)
  approvals!: ApprovalsDoc;
  @Section(() => RateLimitsDoc)
  rateLimits!: RateLimitsDoc;
  @Section(() => IpAllowlistDoc)
  ipAllowlist!: IpAllowlistDoc;
}
