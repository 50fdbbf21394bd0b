import { dump, load } from 'js-yaml';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The shipped policy document as a plain object, for tests to change before writing their own file. */
export type PolicyDoc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a YAML tree edited by tests

export function shippedPolicies(): PolicyDoc {
  return load(
    readFileSync(join(__dirname, '..', '..', 'config', 'security-policies.yaml'), 'utf8'),
  ) as PolicyDoc;
}

/**
 * Writes a copy of config/security-policies.yaml changed by `edit` to a temp file and returns its path, for
 * `POLICY_FILE` in a test app's environment. Rate limits are opened up first (a suite making hundreds of
 * calls is not testing throttling); `edit` can set them back.
 */
export function writePolicyFile(edit: (doc: PolicyDoc) => void = () => undefined): string {
  const doc = shippedPolicies();
  for (const name of Object.keys(doc.rateLimits)) doc.rateLimits[name] = { limit: 100000, ttlSeconds: 60 };
  edit(doc);
  const file = join(mkdtempSync(join(tmpdir(), 'usdt-policies-')), 'security-policies.yaml');
  writeFileSync(file, dump(doc));
  return file;
}

/**
 * One admin's PUT /policies applies at once (policy_change quorum 1), as before four-eyes policy changes: for
 * suites that change policies as a step and are not about how policy changes are approved.
 */
export function singleAdminPolicyChanges(doc: PolicyDoc): PolicyDoc {
  doc.approvals.workflows.policy_change.quorum = 1;
  return doc;
}

const HUGE = '1000000000';

/**
 * Governance out of the way, for suites about the payment pipeline itself: limits and thresholds far above any
 * test amount, monitoring rules off, and the contract blacklist left to the pipeline's own pre-signing check.
 */
export function permissivePolicies(doc: PolicyDoc): void {
  doc.limits = {
    singleMax: HUGE,
    walletDaily: HUGE,
    walletMonthly: HUGE,
    networkDaily: HUGE,
    destinationVelocity: { windowMinutes: 1, maxCount: 1000000, maxVolume: HUGE },
  };
  for (const level of Object.keys(doc.kyc.levels))
    doc.kyc.levels[level] = { singleMax: HUGE, dailyMax: HUGE };
  doc.screening.contractBlacklist = false;
  for (const rule of Object.keys(doc.monitoring)) doc.monitoring[rule].enabled = false;
  doc.approvals.workflows.high_value.threshold = HUGE;
  doc.approvals.workflows.batch_transfer.threshold = HUGE;
  singleAdminPolicyChanges(doc);
}
