import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import { AuditEntry, AuditTrail } from '@app/audit';
import { AppError } from '@app/common';
import { ComplianceCheck, ComplianceDraft, ComplianceOutcome } from '@app/compliance';
import { Policies, PolicyStore } from '@app/policies';

import { freshAddress, PaymentStack, PaymentStackOptions, startPaymentStack } from '../support/payment-stack';
import { PolicyDoc, singleAdminPolicyChanges, writePolicyFile } from '../support/policy-file';

export const API = '/api/v1/tron/usdt';

export interface ComplianceStack extends PaymentStack {
  check: ComplianceCheck;
  policies(): Promise<Policies>;
  connection: Connection;
  /** Every audit record written since the stack started (the real trail still stores them). */
  audited: AuditEntry[];
}

/**
 * The real app on a devnet and an embedded engine, with a policy file changed by `policy` (throttling opened
 * up: it is not under test here) and the compliance engine at hand for direct calls.
 */
export async function startComplianceStack(
  policy: (doc: PolicyDoc) => void = () => undefined,
  options: PaymentStackOptions = {},
): Promise<ComplianceStack> {
  const policyFile = writePolicyFile((doc) => {
    for (const name of Object.keys(doc.rateLimits)) doc.rateLimits[name] = { limit: 100000, ttlSeconds: 60 };
    singleAdminPolicyChanges(doc);
    policy(doc);
  });
  const stack = await startPaymentStack({
    ...options,
    env: {
      POLICY_FILE: policyFile,
      POLICY_REFRESH_MS: '100',
      AML_PROVIDER_URL: undefined,
      AML_PROVIDER_API_KEY: undefined,
      ...options.env,
    },
  });
  const app = stack.app.app;
  const audited: AuditEntry[] = [];
  const trail = app.get(AuditTrail, { strict: false });
  const record = trail.record.bind(trail);
  jest.spyOn(trail, 'record').mockImplementation((entry: AuditEntry) => {
    audited.push(entry);
    return record(entry);
  });
  return {
    ...stack,
    check: app.get(ComplianceCheck, { strict: false }),
    policies: () => app.get(PolicyStore, { strict: false }).current(),
    connection: app.get<Connection>(getConnectionToken(), { strict: false }),
    audited,
  };
}

let seq = 0;

/** A draft of `amount` base units to a fresh address from `wallet`, now. */
export function draft(
  wallet: string,
  amountRaw: bigint,
  overrides: Partial<ComplianceDraft> = {},
): ComplianceDraft {
  return {
    transferId: `compliance-e2e-${process.pid}-${++seq}`,
    kind: 'transfer',
    wallet,
    to: freshAddress(),
    amountRaw,
    requestedBy: 'operator-1',
    at: new Date(),
    ...overrides,
  };
}

/** The AppError an evaluation threw (fails the test when it passed or threw something else). */
export async function refusal(outcome: Promise<ComplianceOutcome>): Promise<AppError> {
  const result = await outcome.then(
    (value) => ({ passed: value }),
    (err: unknown) => ({ err }),
  );
  if ('passed' in result)
    throw new Error(`expected a refusal, got ${JSON.stringify(result.passed, bigints)}`);
  if (!(result.err instanceof AppError)) throw result.err;
  return result.err;
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** A limit counter document as stored, or null. */
export async function counter(
  stack: ComplianceStack,
  key: string,
): Promise<{ used?: bigint; entries?: Array<{ id: string }> } | null> {
  return stack.connection
    .collection<{ _id: string; used?: bigint; entries?: Array<{ id: string }> }>('limit_counters')
    .findOne({ _id: key });
}

export const usdt = (whole: number): bigint => BigInt(whole) * 1_000_000n;
