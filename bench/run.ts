import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Runs every bench/*.bench.ts in turn (each exports `run()`); results are printed, never asserted. */
async function main(): Promise<void> {
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  for (const f of files) {
    const mod = (await import(join(__dirname, f))) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') {
      console.log(`${f}: no run() export, skipped`);
      continue;
    }
    console.log(`\n== ${f}`);
    await mod.run();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
