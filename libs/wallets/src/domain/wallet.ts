/** A private key encrypted at rest: AES-256-GCM under the master key `keyId`, all binary fields base64. */
export interface EncryptedKey {
  keyId: string;
  nonce: string;
  ciphertext: string;
  tag: string;
}

/**
 * A hot wallet as the rest of the service sees it. It deliberately carries no key material at all, encrypted
 * or not: only the signer and the rotation use case read the encrypted key, through their own repository call.
 */
export interface Wallet {
  address: string;
  label: string;
  /** Id of the master key the private key is encrypted under (not secret; tells what rotation must do). */
  keyId: string;
  disabled: boolean;
  createdAt: Date;
  /** Who disabled it and why, and who asked to enable it again; absent on a wallet never disabled. */
  control?: WalletControl;
}

/** An admin's request to enable a disabled wallet again; enabling needs a quorum of distinct admins. */
export interface WalletEnableVote {
  by: string;
  at: Date;
  comment?: string;
}

/**
 * The disable/enable state of one wallet. Written only by compare-and-set on `revision`, so concurrent
 * disables and enable votes from any instance are all counted and none overwrites another.
 */
export interface WalletControl {
  /** 0 on a wallet never disabled. */
  revision: number;
  reason?: string;
  disabledBy?: string;
  disabledAt?: Date;
  enableVotes: WalletEnableVote[];
  enabledAt?: Date;
}

export const NEVER_DISABLED: WalletControl = { revision: 0, enableVotes: [] };

/** The one shape that holds the encrypted key; never leaves the signer, rotation and the repository. */
export interface WalletKeyRecord {
  address: string;
  disabled: boolean;
  encryptedKey: EncryptedKey;
}

/** What the API, the CLI and /status show: public facts and balances, never any key material. */
export interface WalletListing {
  address: string;
  label: string;
  keyId: string;
  disabled: boolean;
  /** While disabled: why, by whom, since when, and the admins who have asked to enable it again. */
  disabledReason: string | null;
  disabledBy: string | null;
  disabledAt: string | null;
  enableVotes: string[];
  createdAt: string;
  /** USDT as a decimal string ("12.5"); null when the node could not be read or balances were not asked for. */
  usdt: string | null;
  /** USDT base units (6 decimals) as an integer string. */
  usdtRaw: string | null;
  /** TRX in sun (1 TRX = 1,000,000 sun) as an integer string. */
  trxSun: string | null;
}

/** The label that makes a wallet the default payer. */
export const DEFAULT_WALLET_LABEL = 'default';

/**
 * Labels are identifiers in URLs and CLI arguments: short, no spaces. At most 40 characters, so a private key
 * (64 hex characters) pasted into the wrong field is refused instead of stored and shown in clear.
 */
export const WALLET_LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
export const WALLET_LABEL_RULE = '1-40 letters, digits, _, . or -, starting with a letter or digit';
