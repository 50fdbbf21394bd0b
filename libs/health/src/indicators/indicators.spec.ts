import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';

import { AllConfig } from '@app/config';
import { NodeStatus, TronClient, TronNetwork } from '@app/tron';
import { PipelineContext, TransferRepository } from '@app/transfers';

import { HotWalletBalance, HotWalletBalances } from '../wallets/hot-wallet-balances';
import { HotWalletsHealthIndicator } from './hot-wallets.indicator';
import { PipelineHealthIndicator } from './pipeline.indicator';
import { TronNodeHealthIndicator } from './tron-node.indicator';

const indicator = new HealthIndicatorService();

function config(values: Record<string, unknown>): ConfigService<AllConfig, true> {
  return { getOrThrow: (key: string) => values[key] } as unknown as ConfigService<AllConfig, true>;
}

describe('TronNodeHealthIndicator', () => {
  const network = { isDevnet: false } as TronNetwork;
  const make = (status: NodeStatus) =>
    new TronNodeHealthIndicator(
      indicator,
      { nodeStatus: () => Promise.resolve(status) } as TronClient,
      network,
      config({}),
    );

  it('is up when the head is recent', async () => {
    const result = await make({ reachable: true, host: 'h', headNumber: 7, headAgeMs: 3_000 }).check();
    expect(result.tronNode).toMatchObject({ status: 'up', headNumber: 7, maxHeadAgeMs: 60_000 });
  });

  it('is down when the node answers but its head stopped moving', async () => {
    const result = await make({ reachable: true, host: 'h', headNumber: 7, headAgeMs: 120_000 }).check();
    expect(result.tronNode).toMatchObject({ status: 'down', message: 'head block is not advancing' });
  });

  it('is down when the node does not answer', async () => {
    const result = await make({ reachable: false, host: 'h' }).check();
    expect(result.tronNode).toMatchObject({ status: 'down', message: 'node unreachable' });
  });
});

describe('HotWalletsHealthIndicator', () => {
  const make = (wallets: HotWalletBalance[]) =>
    new HotWalletsHealthIndicator(
      indicator,
      { snapshot: () => Promise.resolve({ readAt: 0, wallets }) } as HotWalletBalances,
      config({ 'wallets.minTrxSun': 100n }),
    );

  it('is up when every wallet holds the TRX floor', async () => {
    const result = await make([{ address: 'TA', usdtRaw: 0n, trxSun: 100n }]).check();
    expect(result.hotWallets).toMatchObject({ status: 'up', shortOfTrx: [], minTrxSun: '100' });
  });

  it('names the wallets below the floor', async () => {
    const result = await make([
      { address: 'TA', usdtRaw: 0n, trxSun: 500n },
      { address: 'TB', usdtRaw: 0n, trxSun: 99n },
    ]).check();
    expect(result.hotWallets).toMatchObject({ status: 'down', shortOfTrx: ['TB'] });
  });

  it('is down, without throwing, when the node could not be read', async () => {
    const result = await make([{ address: 'TA', usdtRaw: null, trxSun: null }]).check();
    expect(result.hotWallets).toMatchObject({ status: 'down', unreadable: ['TA'] });
  });
});

describe('PipelineHealthIndicator', () => {
  const make = (oldest: Date | null) =>
    new PipelineHealthIndicator(
      indicator,
      {
        countByStatus: () => Promise.resolve(oldest ? 2 : 0),
        oldestUpdateIn: () => Promise.resolve(oldest),
      } as unknown as TransferRepository,
      { settings: { stuckAfterMs: 60_000 } } as PipelineContext,
    );

  it('is up with nothing in flight', async () => {
    expect((await make(null).check()).pipeline).toMatchObject({
      status: 'up',
      inFlight: 0,
      oldestAgeMs: null,
    });
  });

  it('is down when a transfer has not moved for longer than the threshold', async () => {
    const result = await make(new Date(Date.now() - 120_000)).check();
    expect(result.pipeline).toMatchObject({ status: 'down', inFlight: 2 });
  });
});
