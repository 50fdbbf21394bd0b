import { Injectable } from '@nestjs/common';

import { formatUsdtAmount } from '@app/common';
import { ListWallets } from '@app/wallets';

import { IN_FLIGHT_STATUSES } from '../domain/transfer';
import { TransferRepository, TransferStatsRow } from '../persistence/transfer.repository';
import { TransferStatsCounters } from '../persistence/transfer-stats-counters';
import { StatsSubscriber } from '../worker/stats-subscriber';

const DAY_MS = 86_400_000;

/**
 * Counts and volumes by status and by day (from the stats counters: a read of the window's days, whatever
 * the history), in-flight work, and hot wallet balances. Transfers created before the counters started are
 * read from the transfers themselves, for as long as the window reaches back that far.
 */
@Injectable()
export class TransferStats {
  /**
   * Whether transfers older than the counters exist at all, asked once: none on an installation that started
   * with them, and none can appear later (a new transfer is created now), so /stats never reads transfers.
   */
  private uncounted: Promise<boolean> | undefined;

  constructor(
    private readonly transfers: TransferRepository,
    private readonly counters: TransferStatsCounters,
    private readonly counting: StatsSubscriber,
    private readonly wallets: ListWallets,
  ) {}

  async execute(days: number) {
    const since = new Date(Date.now() - days * DAY_MS);
    since.setUTCHours(0, 0, 0, 0);
    const [rows, wallets, inFlight, pendingApproval] = await Promise.all([
      this.rows(since),
      this.wallets.execute({ balances: true }),
      this.transfers.countByStatus(IN_FLIGHT_STATUSES),
      this.transfers.countByStatus(['pending_approval']),
    ]);

    const byStatus = new Map<string, { count: number; amountRaw: bigint }>();
    const byDay = new Map<string, { count: number; amountRaw: bigint; confirmedRaw: bigint }>();
    for (const row of rows) {
      const status = byStatus.get(row.status) ?? { count: 0, amountRaw: 0n };
      status.count += row.count;
      status.amountRaw += row.amountRaw;
      byStatus.set(row.status, status);
      const day = byDay.get(row.day) ?? { count: 0, amountRaw: 0n, confirmedRaw: 0n };
      day.count += row.count;
      day.amountRaw += row.amountRaw;
      if (row.status === 'confirmed') day.confirmedRaw += row.amountRaw;
      byDay.set(row.day, day);
    }
    return {
      since: since.toISOString(),
      byStatus: Object.fromEntries(
        [...byStatus].map(([status, v]) => [
          status,
          { count: v.count, amount: formatUsdtAmount(v.amountRaw), amountRaw: v.amountRaw.toString() },
        ]),
      ),
      byDay: [...byDay]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, v]) => ({
          day,
          count: v.count,
          amount: formatUsdtAmount(v.amountRaw),
          confirmedAmount: formatUsdtAmount(v.confirmedRaw),
        })),
      inFlight,
      pendingApproval,
      wallets,
    };
  }

  private async rows(since: Date): Promise<TransferStatsRow[]> {
    const countingSince = await this.counting.countingSince();
    const windowDays: string[] = [];
    for (let day = since.getTime(); day <= Date.now(); day += DAY_MS) {
      windowDays.push(new Date(day).toISOString().slice(0, 10));
    }
    const readOlder = since < countingSince && (await this.anyUncounted(countingSince));
    const [counted, older] = await Promise.all([
      this.counters.rows(windowDays),
      readOlder ? this.transfers.stats(since, countingSince) : Promise.resolve([]),
    ]);
    return [...counted, ...older];
  }

  private anyUncounted(countingSince: Date): Promise<boolean> {
    this.uncounted ??= this.transfers.existsCreatedBefore(countingSince).catch((err: unknown) => {
      this.uncounted = undefined;
      throw err;
    });
    return this.uncounted;
  }
}
