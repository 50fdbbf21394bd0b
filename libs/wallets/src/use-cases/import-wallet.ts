import { Injectable, Logger } from '@nestjs/common';

import { AppError, ErrorCode } from '@app/common';

import { KeyCipher } from '../domain/key-cipher';
import { addressOfPrivateKey, parsePrivateKeyHex } from '../domain/private-key';
import { WALLET_LABEL_PATTERN, WALLET_LABEL_RULE, WalletListing } from '../domain/wallet';
import { WalletListingBuilder } from '../listing/wallet-listing.builder';
import { WalletRepository } from '../persistence/wallet.repository';
import { ResolveWallet } from './resolve-wallet';

export interface ImportWalletCommand {
  /** 64 hexadecimal characters. Read once, encrypted, and never stored, logged or returned. */
  privateKey: string;
  label: string;
}

/**
 * Registers a hot wallet from its private key. The address is derived from the key (never taken from the
 * caller), the key is encrypted under the current master key with the address as associated data, and the
 * plaintext bytes are zeroed before returning. Answers the public listing, with live balances.
 */
@Injectable()
export class ImportWallet {
  private readonly logger = new Logger(ImportWallet.name);

  constructor(
    private readonly wallets: WalletRepository,
    private readonly cipher: KeyCipher,
    private readonly listing: WalletListingBuilder,
    private readonly resolve: ResolveWallet,
  ) {}

  async execute(command: ImportWalletCommand): Promise<WalletListing> {
    if (!WALLET_LABEL_PATTERN.test(command.label)) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `label must be ${WALLET_LABEL_RULE}`, [
        { field: 'label', message: `must be ${WALLET_LABEL_RULE}` },
      ]);
    }
    const privateKey = parsePrivateKeyHex(command.privateKey);
    if (!privateKey) {
      // Says what is wrong with the shape, never anything about the value.
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        'privateKey must be a valid 64-hex-character secp256k1 key',
        [{ field: 'privateKey', message: 'must be a valid 64-hex-character secp256k1 private key' }],
      );
    }
    let address: string;
    let encryptedKey;
    try {
      address = addressOfPrivateKey(privateKey);
      encryptedKey = this.cipher.encrypt(privateKey, address);
    } finally {
      privateKey.fill(0);
    }
    if (await this.wallets.findByAddress(address)) {
      throw new AppError(ErrorCode.WRITE_CONFLICT, `wallet ${address} is already registered`, [
        { field: 'privateKey', message: 'this key is already registered' },
      ]);
    }
    // The unique indexes still decide when two imports race past the check above.
    const wallet = await this.wallets.insert({ address, label: command.label, encryptedKey });
    this.resolve.addressesChanged();
    this.logger.log(
      `imported hot wallet ${wallet.address} as "${wallet.label}" (master key ${wallet.keyId})`,
    );
    const [listing] = await this.listing.build([wallet], true);
    return listing;
  }
}
