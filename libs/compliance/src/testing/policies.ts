import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parsePolicies, Policies } from '@app/policies';

/** A YAML tree of the policy document, edited by specs before parsing. */
export type PolicyTree = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a YAML tree edited by specs

/** The shipped config/security-policies.yaml, changed by `edit`, parsed and validated as at start-up. */
export function testPolicies(edit: (doc: PolicyTree) => void = () => undefined): Policies {
  const file = join(__dirname, '..', '..', '..', '..', 'config', 'security-policies.yaml');
  const doc = load(readFileSync(file, 'utf8')) as PolicyTree;
  edit(doc);
  return parsePolicies(doc).policies;
}
