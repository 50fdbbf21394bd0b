import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import ipaddr from 'ipaddr.js';

import { parseUsdtAmount } from '@app/common';

import {
  KYC_LEVELS,
  KycLevel,
  PolicyDocument,
  ProviderFailureMode,
  RateLimitClass,
  RuleAction,
} from './policy-document';

/** A rate limit per route class: at most `limit` requests per `ttlSeconds` per caller. */
export interface RateLimit {
  limit: number;
  ttlSeconds: number;
}

/**
 * The effective policies in the form the code uses: amounts in base units (bigint), windows in milliseconds.
 * Built only by `parsePolicies`, so every instance has passed validation.
 */
export interface Policies {
  limits: {
    singleMax: bigint;
    walletDaily: bigint;
    walletMonthly: bigint;
    networkDaily: bigint;
    destinationVelocity: { windowMs: number; maxCount: number; maxVolume: bigint };
  };
  kyc: Record<KycLevel, { singleMax: bigint; dailyMax: bigint }>;
  screening: {
    contractBlacklist: boolean;
    allowlistMode: boolean;
    provider: { enabled: boolean; timeoutMs: number; onError: ProviderFailureMode };
  };
  monitoring: {
    firstPayout: { enabled: boolean; above: bigint; action: RuleAction };
    structuring: {
      enabled: boolean;
      windowMs: number;
      count: number;
      withinPercent: number;
      action: RuleAction;
    };
    roundAmount: { enabled: boolean; atLeast: bigint; multipleOf: bigint; action: RuleAction };
    velocity: { enabled: boolean; windowMs: number; maxCount: number; action: RuleAction };
    lookalike: { enabled: boolean; prefix: number; suffix: number; action: RuleAction };
  };
  approvals: {
    expiryMs: number;
    highValue: { threshold: bigint; quorum: number };
    batchTransfer: { threshold: bigint; quorum: number };
    emergency: { resumeQuorum: number };
    policyChange: { quorum: number };
  };
  rateLimits: Record<RateLimitClass, RateLimit>;
  ipAllowlist: { admin: string[]; all: string[] };
}

export class PolicyValidationError extends Error {
  override name = 'PolicyValidationError';
  constructor(readonly problems: string[]) {
    super(`Invalid security policies:\n  - ${problems.join('\n  - ')}`);
  }
}

const MINUTE_MS = 60_000;

/**
 * Validates a policy document (from the YAML file or a `PUT /policies` body) and returns it with its parsed
 * form. Unknown fields are errors, so a misspelt key cannot silently leave a limit at its old value.
 */
export function parsePolicies(raw: unknown): { document: PolicyDocument; policies: Policies } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PolicyValidationError(['the policy document must be an object']);
  }
  const document = plainToInstance(PolicyDocument, raw);
  const problems = flatten(
    validateSync(document, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
  );
  if (problems.length === 0) problems.push(...cidrProblems(document));
  if (problems.length) throw new PolicyValidationError(problems);
  return { document, policies: toPolicies(document) };
}

function toPolicies(doc: PolicyDocument): Policies {
  const amount = (value: string) => parseUsdtAmount(value);
  const { limits, screening, monitoring, approvals } = doc;
  const kyc = Object.fromEntries(
    KYC_LEVELS.map((level) => [
      level,
      {
        singleMax: amount(doc.kyc.levels[level].singleMax),
        dailyMax: amount(doc.kyc.levels[level].dailyMax),
      },
    ]),
  ) as Policies['kyc'];
  return {
    limits: {
      singleMax: amount(limits.singleMax),
      walletDaily: amount(limits.walletDaily),
      walletMonthly: amount(limits.walletMonthly),
      networkDaily: amount(limits.networkDaily),
      destinationVelocity: {
        windowMs: limits.destinationVelocity.windowMinutes * MINUTE_MS,
        maxCount: limits.destinationVelocity.maxCount,
        maxVolume: amount(limits.destinationVelocity.maxVolume),
      },
    },
    kyc,
    screening: {
      contractBlacklist: screening.contractBlacklist,
      allowlistMode: screening.allowlistMode,
      provider: { ...screening.provider },
    },
    monitoring: {
      firstPayout: { ...monitoring.firstPayout, above: amount(monitoring.firstPayout.above) },
      structuring: {
        enabled: monitoring.structuring.enabled,
        windowMs: monitoring.structuring.windowMinutes * MINUTE_MS,
        count: monitoring.structuring.count,
        withinPercent: monitoring.structuring.withinPercent,
        action: monitoring.structuring.action,
      },
      roundAmount: {
        enabled: monitoring.roundAmount.enabled,
        atLeast: amount(monitoring.roundAmount.atLeast),
        multipleOf: amount(monitoring.roundAmount.multipleOf),
        action: monitoring.roundAmount.action,
      },
      velocity: {
        enabled: monitoring.velocity.enabled,
        windowMs: monitoring.velocity.windowMinutes * MINUTE_MS,
        maxCount: monitoring.velocity.maxCount,
        action: monitoring.velocity.action,
      },
      lookalike: { ...monitoring.lookalike },
    },
    approvals: {
      expiryMs: approvals.expiryMinutes * MINUTE_MS,
      highValue: {
        threshold: amount(approvals.workflows.high_value.threshold),
        quorum: approvals.workflows.high_value.quorum,
      },
      batchTransfer: {
        threshold: amount(approvals.workflows.batch_transfer.threshold),
        quorum: approvals.workflows.batch_transfer.quorum,
      },
      emergency: { resumeQuorum: approvals.workflows.emergency.resumeQuorum },
      policyChange: { quorum: approvals.workflows.policy_change.quorum },
    },
    rateLimits: {
      public: { ...doc.rateLimits.public },
      read: { ...doc.rateLimits.read },
      money: { ...doc.rateLimits.money },
      admin: { ...doc.rateLimits.admin },
    },
    ipAllowlist: { admin: [...doc.ipAllowlist.admin], all: [...doc.ipAllowlist.all] },
  };
}

function cidrProblems(doc: PolicyDocument): string[] {
  const problems: string[] = [];
  for (const list of ['admin', 'all'] as const) {
    doc.ipAllowlist[list].forEach((entry, index) => {
      if (!isCidrOrAddress(entry)) {
        problems.push(`ipAllowlist.${list}.${index}: "${entry}" is not an IPv4/IPv6 address or CIDR`);
      }
    });
  }
  return problems;
}

/** An entry of an allow-list: a CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address. */
export function isCidrOrAddress(entry: string): boolean {
  return entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
}

function flatten(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const here = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${here}: ${message}`);
    return [...own, ...flatten(error.children ?? [], here)];
  });
}
