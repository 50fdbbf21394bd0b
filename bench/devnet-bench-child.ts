import { startDevnet } from '@app/tron-devnet';

/** Child process for bench/devnet.bench.ts: a devnet with the timer off, URL sent to the parent. */
void startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 19, accounts: 10 }).then((d) => {
  process.send?.(d.url);
  process.on('SIGTERM', () => void d.stop().then(() => process.exit(0)));
});
