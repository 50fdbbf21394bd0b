/**
 * Starts the service for the contract test (.ci/contract-test.sh): embedded engine, devnet, a temp DATA_DIR,
 * rate limits opened up (the run is about the contract, not throttling), and writes the base URL, one
 * token per role and the hot wallet addresses to the file named by its first argument. The shipped
 * policy_change quorum (2) stays: PUT /policies then answers 202 with a proposal and changes nothing the
 * rest of the run depends on, and the proposal routes have proposals to read and vote on. Runs until it is sent SIGTERM.
 */
import { writeFileSync } from 'node:fs';

import { ResolveWallet } from '@app/wallets';

import { writePolicyFile } from '../support/policy-file';
import { startTestApp } from '../support/test-app';
import { tokenFor } from '../support/tokens';

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: start-service.ts <output.json>');
  const service = await startTestApp({ env: { POLICY_FILE: writePolicyFile() } });
  const tokens = {
    admin: tokenFor('admin', { sub: 'contract-admin', expiresIn: '1h' }),
    operator: tokenFor('operator', { sub: 'contract-operator', expiresIn: '1h' }),
    viewer: tokenFor('viewer', { sub: 'contract-viewer', expiresIn: '1h' }),
  };
  // For the `hot-wallet-address` format (POST /wallets/:address/disable and /enable).
  const hotWallets = await service.app.get(ResolveWallet).hotWalletAddresses();
  writeFileSync(out, JSON.stringify({ url: service.url, tokens, hotWallets }));
  process.stdout.write(`contract service on ${service.url}\n`);
  const stop = () => void service.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`contract service failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
