import { Injectable } from '@nestjs/common';

import { formatUsdtAmount } from '@app/common';
import { ListWallets } from '@app/wallets';

import { IN_FLIGHT_STATUSES } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';

/** Counts and volumes by status and by day (one aggregation), in-flight work, and hot wallet balances. */
@Injectable()
export class TransferStats {
  constructor(
    private readonly transfers: TransferRepository,
    private readonly wallets: ListWallets,
  ) {}

  async execute(days: number) {
    const since = new Date(Date.now() - days * 86_400_000);
    since.setUTCHours(0, 0, 0, 0);
    const [rows, wallets, inFlight, pendingApproval] = await Promise.all([
      this.transfers.stats(since),
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
}
