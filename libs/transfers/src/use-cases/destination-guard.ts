import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode } from '@app/common';
import { TronClient, TronNetwork } from '@app/tron';
import { ResolveWallet } from '@app/wallets';

import { OperationKind } from '../domain/transfer';

export interface DestinationCheck {
  kind: OperationKind;
  /** Recipient of a transfer, spender of an approve. */
  to: string;
  /** The caller said this is a move between our own hot wallets. */
  internal: boolean;
  /** The request field named in the refusal (`to`, `spender`, `items.3.to`). */
  field: string;
}

/**
 * Destinations that must not be paid by accident, refused at intake with USDT_ERR_107 before anything is
 * reserved or stored:
 * - a contract account (the USDT contract or any smart contract): USDT sent there is usually gone for good;
 * - one of our own hot wallets, unless the request says `internal: true` (a rebalance, shown as such); and
 *   `internal: true` for an address that is not ours, so an "internal" move is always really internal.
 * Approves differ: a spender is normally a contract (a payment processor, a router), so only the USDT
 * contract itself is refused (an allowance for the token to spend itself is never meant).
 * The node is asked whether the address is a contract; when it cannot answer, intake answers 503
 * USDT_ERR_400 rather than pay an address it could not check.
 */
@Injectable()
export class DestinationGuard {
  constructor(
    private readonly tron: TronClient,
    private readonly network: TronNetwork,
    private readonly wallets: ResolveWallet,
  ) {}

  async assertAllowed(check: DestinationCheck): Promise<void> {
    const ours = await this.wallets.isHotWallet(check.to);
    if (ours && !check.internal) {
      throw refused(check.field, 'is one of our own hot wallets; send internal: true for a rebalance');
    }
    if (!ours && check.internal) {
      throw refused(check.field, 'internal: true is only for moves between our own hot wallets');
    }
    if (ours) return;
    if (check.kind === 'approve') {
      if (check.to === this.network.usdtContract) {
        throw refused(check.field, 'is the USDT contract itself');
      }
      return;
    }
    if (await this.tron.isContract(check.to)) {
      throw refused(check.field, 'is a contract account; USDT sent to it cannot be moved out by us');
    }
  }
}

function refused(field: string, reason: string): AppError {
  return new AppError(ErrorCode.DESTINATION_NOT_ALLOWED, `${field} is not allowed: ${reason}`, [
    { field, message: reason },
  ]);
}
