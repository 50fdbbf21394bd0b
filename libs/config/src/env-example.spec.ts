import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** Every variable named by a namespace validator or read from `env.` in libs/config. */
function variablesReadByCode(): Set<string> {
  const dir = join(__dirname, 'namespaces');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.config.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const match of source.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)) names.add(match[1]);
    for (const match of source.matchAll(/^\s+(?:@[^\n]*\s)?([A-Z][A-Z0-9_]+)\?: string;/gm))
      names.add(match[1]);
  }
  return names;
}

function variablesDocumented(): Set<string> {
  const text = readFileSync(join(root, '.env.example'), 'utf8');
  return new Set([...text.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
}

describe('.env.example', () => {
  it('documents every variable the configuration reads, and nothing else', () => {
    expect([...variablesDocumented()].sort()).toEqual([...variablesReadByCode()].sort());
  });
});
