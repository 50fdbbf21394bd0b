import { randomBytes } from 'node:crypto';
import { utils } from 'tronweb';

import { ErrorCode } from '@app/common';

import { InMemoryWalletRepository } from '../../../../test/wallets/in-memory-wallet.repository';
import { KeyCipher } from '../domain/key-cipher';
import { SigningKeyRecords } from '../signer/signing-key-records';
import { ResolveWallet } from './resolve-wallet';
import { SwitchWallet } from './switch-wallet';

describe('SwitchWallet', () => {
  const cipher = new KeyCipher({ id: 'k1', key: randomBytes(32) });
  let repository: InMemoryWalletRepository;
  let switches: SwitchWallet;
  let keyRecords: SigningKeyRecords;
  let address: string;

  beforeEach(async () => {
    repository = new InMemoryWalletRepository();
    // Held for a minute: only this instance's own writes can make the signer read the wallet again.
    keyRecords = new SigningKeyRecords(repository, 60_000);
    switches = new SwitchWallet(repository, keyRecords);
    const account = utils.accounts.generateAccount();
    address = account.address.base58;
    const encryptedKey = cipher.encrypt(Buffer.from(account.privateKey, 'hex'), address);
    await repository.insert({ address, label: 'payouts-2', encryptedKey });
  });

  it('disables at once with the reason, and a second disable changes nothing', async () => {
    const first = await switches.disable(address, 'alice', 'key may have leaked');
    expect(first.changed).toBe(true);
    expect(first.wallet).toMatchObject({
      disabled: true,
      control: { reason: 'key may have leaked', disabledBy: 'alice', enableVotes: [], revision: 1 },
    });
    const again = await switches.disable(address, 'bob', 'another reason');
    expect(again.changed).toBe(false);
    expect(again.wallet.control?.reason).toBe('key may have leaked');
    expect(await new ResolveWallet(repository).hotWalletAddresses()).not.toContain(address);
  });

  it('makes the signer see its own disable and enable at once, however long records are held', async () => {
    expect((await keyRecords.find(address))?.disabled).toBe(false);
    await switches.disable(address, 'alice', 'drill');
    expect((await keyRecords.find(address))?.disabled).toBe(true);
    await switches.voteEnable(address, 'alice', 2);
    await switches.voteEnable(address, 'bob', 2);
    expect((await keyRecords.find(address))?.disabled).toBe(false);
  });

  it('enables only once `quorum` distinct admins asked, and clears the reason', async () => {
    await switches.disable(address, 'alice', 'drill');
    const first = await switches.voteEnable(address, 'alice', 2, 'checked');
    expect(first).toMatchObject({ enabled: false, votesNeeded: 1, votesBefore: [] });
    expect(first.wallet.disabled).toBe(true);
    await expect(switches.voteEnable(address, 'alice', 2)).rejects.toMatchObject({
      code: ErrorCode.INVALID_STATE,
    });
    const second = await switches.voteEnable(address, 'bob', 2);
    expect(second).toMatchObject({ enabled: true, votesNeeded: 0, votesBefore: ['alice'] });
    expect(second.wallet.disabled).toBe(false);
    expect(second.wallet.control?.reason).toBeUndefined();
    await expect(switches.voteEnable(address, 'carol', 2)).rejects.toMatchObject({
      code: ErrorCode.INVALID_STATE,
    });
  });

  it('starts a fresh vote when the wallet is disabled again', async () => {
    await switches.disable(address, 'alice', 'first');
    await switches.voteEnable(address, 'alice', 1);
    await switches.disable(address, 'bob', 'second');
    const vote = await switches.voteEnable(address, 'alice', 2);
    expect(vote).toMatchObject({ enabled: false, votesNeeded: 1, votesBefore: [] });
  });

  it('refuses what is not a registered hot wallet', async () => {
    await expect(switches.disable('not-an-address', 'alice', 'x')).rejects.toMatchObject({
      code: ErrorCode.INVALID_ADDRESS,
    });
    const stranger = utils.accounts.generateAccount().address.base58;
    await expect(switches.disable(stranger, 'alice', 'x')).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
    });
  });
});
