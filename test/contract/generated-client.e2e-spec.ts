import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

import { writePolicyFile } from '../support/policy-file';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestDatabase, TestDatabase } from '../support/test-database';
import { tokenFor } from '../support/tokens';

const CLIENT_DIR = join(__dirname, 'client');
// openapi-typescript is an ES module with ES-only dependencies, which Jest's CommonJS runtime cannot load:
// its command line runs in a node process of its own.
const GENERATOR = join(__dirname, '..', '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
const EXAMPLE = join(CLIENT_DIR, 'pay-list-stats.ts');

/**
 * What the test reads of the example's result. The example is loaded by path, not imported: it needs the
 * generated module `usdt-manager-api`, which exists only while this suite runs.
 */
interface Example {
  payListAndReadStats(
    baseUrl: string,
    token: string,
    payout: { to: string; amount: string; reference: string },
  ): Promise<{
    transfer: { code: string; id: string; amountRaw: string };
    listed: { id: string }[];
    walletBalances: { label: string }[];
  }>;
}
const RECIPIENT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

/**
 * Type-checks files against the types openapi-typescript generated, available to them as the module
 * `usdt-manager-api`, with the repository's strict compiler options. Returns the diagnostics as text.
 */
function typeCheck(files: string[], generatedTypes: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(CLIENT_DIR, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('client tsconfig.json cannot be read');
  const program = ts.createProgram(files, {
    ...config.options,
    noEmit: true,
    paths: { ...config.options.paths, 'usdt-manager-api': [generatedTypes] },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('a client generated from the OpenAPI document (openapi-typescript)', () => {
  let db: TestDatabase;
  let service: TestApp;
  let workDir: string;
  let generatedTypes: string;
  let document: { components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    db = await startTestDatabase();
    service = await startTestApp({
      env: { MONGODB_URI: db.uri, MONGODB_DATABASE: 'generated_client', POLICY_FILE: writePolicyFile() },
    });
    workDir = mkdtempSync(join(tmpdir(), 'usdt-client-'));
    const documentFile = join(workDir, 'openapi.json');
    const text = await (await fetch(`${service.url}/docs-json`)).text();
    document = JSON.parse(text) as typeof document;
    writeFileSync(documentFile, text);
    generatedTypes = join(workDir, 'usdt-manager-api.d.ts');
    execFileSync(process.execPath, [GENERATOR, documentFile, '--output', generatedTypes], { stdio: 'pipe' });
  });

  afterAll(async () => {
    await service?.close();
    await db?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('has every reference name a schema it defines (the policy sections once pointed at a nameless one)', () => {
    const refs = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.add(value);
          else walk(value);
        }
      }
    };
    walk(document);
    const defined = new Set(
      Object.keys(document.components.schemas).map((name) => `#/components/schemas/${name}`),
    );
    expect([...refs].filter((ref) => !defined.has(ref))).toEqual([]);
    expect(JSON.stringify(document.components.schemas.PolicyDocument)).toContain(
      '#/components/schemas/LimitsDoc',
    );
  });

  it('type-checks the example that pays, lists and reads stats', () => {
    expect(typeCheck([EXAMPLE], generatedTypes)).toEqual([]);
  });

  it('fails to type-check code that misuses the API, so the check above means something', () => {
    const misuse = join(workDir, 'misuse.ts');
    writeFileSync(
      misuse,
      [
        "import type { paths } from 'usdt-manager-api';",
        "type Body = paths['/api/v1/tron/usdt/transfer']['post']['requestBody']['content']['application/json'];",
        // A number for the amount; a field the document does not have; a cursor read as a number.
        "export const wrongType: Body = { to: 'T', amount: 12.5 };",
        "export const extraField: Body = { to: 'T', amount: '12.5', currency: 'USDT' };",
        "type Page = paths['/api/v1/tron/usdt/transfers']['get']['responses'][200]['content']['application/json'];",
        'export const cursor = (page: Page): number => page.nextCursor;',
      ].join('\n'),
    );
    const problems = typeCheck([misuse], generatedTypes);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/'number' is not assignable to type 'string'/);
    expect(problems.join('\n')).toMatch(/'currency' does not exist/);
    expect(problems.join('\n')).toMatch(/'string \| null' is not assignable to type 'number'/);
  });

  it('runs the example against the service: the payout is accepted, listed and counted', async () => {
    const operator = tokenFor('operator', { sub: 'client-example' });
    const { payListAndReadStats } = (await import(EXAMPLE)) as Example;
    const summary = await payListAndReadStats(service.url, operator, {
      to: RECIPIENT,
      amount: '1.5',
      reference: 'client-example-1',
    });
    expect(summary.transfer.code).toBe('USDT_002');
    expect(summary.transfer.amountRaw).toBe('1500000');
    expect(summary.listed.map((t) => t.id)).toContain(summary.transfer.id);
    expect(summary.walletBalances.map((w) => w.label)).toContain('default');
  });
});
