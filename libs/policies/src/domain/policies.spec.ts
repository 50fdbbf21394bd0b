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

  it('refuses a document without a whole top-level section', () => {
    const doc = shipped();
    delete doc.monitoring;
    expect(problemsOf(doc).join('; ')).toContain('monitoring');
  });
});
