import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ErrorCatalogue } from './error-catalogue';
import { ErrorCode } from './error-codes';

const shipped = readFileSync(join(__dirname, '../../../../config/usdt-error-codes.yaml'), 'utf8');
const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');

describe('ErrorCatalogue', () => {
  it('loads the shipped catalogue with an entry for every code', () => {
    const catalogue = ErrorCatalogue.fromYaml(shipped);
    expect(catalogue.all()).toHaveLength(Object.keys(ErrorCode).length);
    expect(catalogue.get(ErrorCode.RATE_LIMITED)).toMatchObject({ httpStatus: 429, retryPolicy: 'linear' });
  });

  it('names a missing code', () => {
    const broken = shipped.replace(/ {2}USDT_ERR_702:[\s\S]*?(?= {2}USDT_ERR_703)/, '');
    expect(() => ErrorCatalogue.fromYaml(broken)).toThrow(/USDT_ERR_702 is missing/);
  });

  it('names an entry with a bad retry policy', () => {
    const broken = shipped.replace('retryPolicy: no_retry', 'retryPolicy: sometimes');
    expect(() => ErrorCatalogue.fromYaml(broken)).toThrow(/USDT_ERR_100: retryPolicy must be one of/);
  });

  it('is the table in the README, row for row, so integrators read what the service answers', () => {
    const rows = [...readme.matchAll(/^\| `(USDT_ERR_\d+)` \| (\d+) \| `(\w+)` \| (.+?) \| (.+?) \|$/gm)];
    const documented = rows.map(([, code, status, policy, message, recovery]) => ({
      code,
      httpStatus: Number(status),
      retryPolicy: policy,
      message,
      recovery,
    }));
    const catalogue = ErrorCatalogue.fromYaml(shipped)
      .all()
      .map(({ code, httpStatus, retryPolicy, message, recovery }) => ({
        code,
        httpStatus,
        retryPolicy,
        message,
        recovery: recovery.replace(/\|/g, '/'),
      }));
    expect(documented).toEqual(catalogue);
  });
});
