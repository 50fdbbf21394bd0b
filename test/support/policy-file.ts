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
 * `POLICY_FILE` in a test app's environment.
 */
export function writePolicyFile(edit: (doc: PolicyDoc) => void): string {
  const doc = shippedPolicies();
  edit(doc);
  const file = join(mkdtempSync(join(tmpdir(), 'usdt-policies-')), 'security-policies.yaml');
  writeFileSync(file, dump(doc));
  return file;
}
