import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parsePolicies, PolicyValidationError } from './policies';

type Doc = Record<string, Record<string, unknown>>;

const shipped = (): Doc =>
  load(readFileSync(join(__dirname, '../../../../config/security-policies.yaml'), 'utf8')) as Doc;

function problemsOf(doc: unknown): string[] {
  try {
    parsePolicies(doc);
    return [];
  } catch (err) {
    if (err instanceof PolicyValidationError) return err.problems;
    throw err;
  }
}

describe('parsePolicies', () => {
  it('accepts the shipped policy file', () => {
    expect(problemsOf(shipped())).toEqual([]);
  });

  // Found by the contract test: PUT /policies stored a document without rateLimits.public.
  it.each([
    ['rateLimits', 'public'],
    ['limits', 'destinationVelocity'],
    ['approvals', 'workflows'],
    ['screening', 'provider'],
  ])('refuses a document whose %s.%s section is missing, naming it', (section, field) => {
    const doc = shipped();
    delete doc[section][field];
    expect(problemsOf(doc).join('; ')).toContain(`${section}.${field}`);
  });

  // An array passed @ValidateNested (it validates element by element) and left the section's values
  // undefined: `emergency: []` made the resume quorum undefined, so no vote could end an emergency stop.
  it.each([
    ['approvals.workflows', 'emergency'],
    ['approvals.workflows', 'policy_change'],
    ['screening', 'provider'],
    ['rateLimits', 'money'],
    ['kyc.levels', 'none'],
  ])('refuses %s.%s given as an array, naming it', (path, field) => {
    const doc = shipped();
    const section = path
      .split('.')
      .reduce<Record<string, unknown>>((at, key) => at[key] as Record<string, unknown>, doc);
    section[field] = [{ ...(section[field] as object) }];
    expect(problemsOf(doc).join('; ')).toContain(`${path}.${field}`);
  });

  it('refuses a top-level section given as an array', () => {
    const doc = shipped() as Record<string, unknown>;
    doc.approvals = [];
    expect(problemsOf(doc).join('; ')).toContain('approvals');
  });

  it('refuses a document without a whole top-level section', () => {
    const doc = shipped();
    delete doc.monitoring;
    expect(problemsOf(doc).join('; ')).toContain('monitoring');
  });
});
