import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';

import { AllConfig } from '@app/config';
import { NodeStatus, TronClient, TronNetwork } from '@app/tron';
import { PipelineContext, TransferRepository } from '@app/transfers';

import { withOperational } from '../health.controller';
import { TronNodeState } from '../node/tron-node-state';
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
      new TronNodeState({ nodeStatus: () => Promise.resolve(status) } as TronClient, network, config({})),
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

  it('stays up when one wallet is below the floor, with a warning naming it', async () => {
    const result = await make([
      { address: 'TA', usdtRaw: 0n, trxSun: 500n },
      { address: 'TB', usdtRaw: 0n, trxSun: 99n },
    ]).check();
    expect(result.hotWallets).toMatchObject({
      status: 'up',
      shortOfTrx: ['TB'],
      warnings: ['hot wallet TB holds 99 sun of TRX, below the 100 floor for fees'],
    });
  });

  it('warns, without throwing, when the node could not be read', async () => {
    const result = await make([{ address: 'TA', usdtRaw: null, trxSun: null }]).check();
    expect(result.hotWallets).toMatchObject({ status: 'up', unreadable: ['TA'] });
    expect(result.hotWallets).toMatchObject({
      warnings: ['TRX balance of hot wallet TA could not be read from the node'],
    });
  });

  it('is down when no wallet is enabled: nothing can pay', async () => {
    expect((await make([]).check()).hotWallets).toMatchObject({ status: 'down', wallets: 0 });
  });
});

describe('withOperational (/health)', () => {
  const ready = {
    status: 'ok' as const,
    info: { database: { status: 'up' as const } },
    error: {},
    details: { database: { status: 'up' as const } },
  };

  it('is ok when every indicator is up, and carries the warnings', () => {
    const result = withOperational(ready, [{ hotWallets: { status: 'up', warnings: ['TB is low'] } }]);
    expect(result).toMatchObject({ status: 'ok', degraded: [], warnings: ['TB is low'] });
  });

  it('is degraded, not an error, when the node is down, with the reason', () => {
    const result = withOperational(ready, [
      { tronNode: { status: 'down', message: 'node unreachable' } },
      { pipeline: { status: 'up' } },
    ]);
    expect(result.status).toBe('degraded');
    expect(result.degraded).toEqual([{ indicator: 'tronNode', message: 'node unreachable' }]);
    expect(result.error).toHaveProperty('tronNode');
    expect(result.info).toHaveProperty('pipeline');
  });

  it('keeps readiness failures as the status', () => {
    const down = { ...ready, status: 'error' as const };
    expect(withOperational(down, [{ tronNode: { status: 'down', message: 'x' } }]).status).toBe('error');
  });
});

describe('PipelineHealthIndicator', () => {
  const make = (oldest: Date | null) =>
    new PipelineHealthIndicator(
      indicator,
      {
        countByStatus: () => Promise.resolve(oldest ? 2 : 0),
        oldestUpdateIn: () => Promise.resolve(oldest),
        waitingSummary: () =>
          Promise.resolve({
            total: 1,
            byCode: { USDT_ERR_200: 1 },
            oldestSince: new Date(Date.now() - 5_000),
          }),
      } as unknown as TransferRepository,
      { settings: { stuckAfterMs: 60_000, maxWaitMs: 3_600_000 } } as PipelineContext,
    );

  it('is up with nothing in flight', async () => {
    expect((await make(null).check()).pipeline).toMatchObject({
      status: 'up',
      inFlight: 0,
      oldestAgeMs: null,
    });
  });

  it('reports how many transfers wait for funds and since when the oldest waits', async () => {
    const { pipeline } = await make(null).check();
    const { waiting } = pipeline as unknown as { waiting: { oldestWaitMs: number } };
    expect(waiting).toMatchObject({ total: 1, byCode: { USDT_ERR_200: 1 }, maxWaitMs: 3_600_000 });
    expect(waiting.oldestWaitMs).toBeGreaterThanOrEqual(5_000);
  });

  it('is down when a transfer has not moved for longer than the threshold', async () => {
    const result = await make(new Date(Date.now() - 120_000)).check();
    expect(result.pipeline).toMatchObject({ status: 'down', inFlight: 2 });
  });
});
