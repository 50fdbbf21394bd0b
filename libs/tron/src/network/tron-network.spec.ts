import { TronConfig } from '@app/config';

import { TronNetwork } from './tron-network';

const base: TronConfig = {
  fullHost: 'https://api.trongrid.io',
  fallbackHosts: ['https://api.trongrid.io', 'https://rpc.example-provider.com/tron'],
  network: 'mainnet',
  usdtContract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
  apiKey: 'secret-key',
  requestsPerSecond: 10,
  requestTimeoutMs: 10_000,
  maxRetries: 3,
  devnet: { blockIntervalMs: 3000, solidityLag: 19, port: 0, dataDir: '/tmp/unused' },
};

describe('TronNetwork.resolve (configured hosts)', () => {
  it('uses the full host for solidity and events unless they are set', async () => {
    const network = await TronNetwork.resolve(base);
    expect(network).toMatchObject({
      name: 'mainnet',
      isDevnet: false,
      solidityHost: 'https://api.trongrid.io',
      eventHost: 'https://api.trongrid.io',
    });
    expect(network.devnet).toBeUndefined();
  });

  it('fails start-up with a clear message when the network has no USDT contract', async () => {
    await expect(
      TronNetwork.resolve({
        ...base,
        network: 'private',
        fullHost: 'http://10.0.0.5:8090',
        usdtContract: undefined,
      }),
    ).rejects.toThrow(/USDT_CONTRACT_ADDRESS must be set to the USDT contract of network "private"/);
  });

  it('sends the API key to the primary and TronGrid hosts, not to third-party fallbacks', async () => {
    const hosts = (await TronNetwork.resolve(base)).hosts();
    expect(hosts.map((h) => [h.fullHost, h.sendApiKey])).toEqual([
      ['https://api.trongrid.io', true],
      ['https://api.trongrid.io', true],
      ['https://rpc.example-provider.com/tron', false],
    ]);
  });

  it('describes itself for /status without credentials', async () => {
    const network = await TronNetwork.resolve({
      ...base,
      fullHost: 'https://user:pw@api.trongrid.io',
      fallbackHosts: [],
    });
    expect(network.info()).toEqual({
      name: 'mainnet',
      fullHost: 'https://api.trongrid.io',
      solidityHost: 'https://api.trongrid.io',
      eventHost: 'https://api.trongrid.io',
      fallbackHosts: [],
      usdtContract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      isDevnet: false,
    });
    expect(JSON.stringify(network.info())).not.toContain('secret-key');
  });

  it('names the Multicall that batches blacklist checks only when one is configured', async () => {
    // Any well-formed address: the service reads nothing from it here.
    const multicallContract = 'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7';
    const withOne = await TronNetwork.resolve({ ...base, multicallContract });
    expect(withOne.multicallContract).toBe(multicallContract);
    expect(withOne.info()).toMatchObject({ multicallContract });
    expect((await TronNetwork.resolve(base)).info()).not.toHaveProperty('multicallContract');
  });
});
