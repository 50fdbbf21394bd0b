import { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AllConfig } from '@app/config';

import { KeyCipher } from './domain/key-cipher';

/** The cipher built from WALLET_MASTER_KEY (current) and WALLET_PREVIOUS_MASTER_KEYS (decrypt only). */
export const keyCipherProvider: Provider = {
  provide: KeyCipher,
  inject: [ConfigService],
  useFactory: (config: ConfigService<AllConfig, true>) => {
    const { masterKey, previousMasterKeys } = config.getOrThrow('wallets', { infer: true });
    return new KeyCipher(masterKey, previousMasterKeys);
  },
};
