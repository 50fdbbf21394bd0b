import { sign, verify } from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';

import type { AuthConfig } from '@app/config';

import { strategyOptions } from './jwt.strategy';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const verifyWith = (auth: AuthConfig, token: string) => {
  const options = strategyOptions(auth) as unknown as { secretOrKey: string; algorithms: ['HS256'] };
  return () => verify(token, options.secretOrKey, { algorithms: options.algorithms });
};

describe('JWT strategy keys', () => {
  it('verifies HS256 with the secret, made into a key once', () => {
    const auth = { algorithm: 'HS256', jwtSecret: SECRET } as AuthConfig;
    expect(verifyWith(auth, sign({ sub: 'op' }, SECRET, { algorithm: 'HS256' }))()).toMatchObject({
      sub: 'op',
    });
    expect(verifyWith(auth, sign({ sub: 'op' }, `${SECRET}x`, { algorithm: 'HS256' }))).toThrow(/signature/);
  });

  it('verifies RS256 with the public key, and refuses an HS256 token signed with that public key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const auth = { algorithm: 'RS256', jwtPublicKey: pem } as AuthConfig;
    const good = sign({ sub: 'op' }, privateKey, { algorithm: 'RS256' });
    expect(verifyWith(auth, good)()).toMatchObject({ sub: 'op' });
    const confused = sign({ sub: 'op' }, pem, { algorithm: 'HS256' });
    expect(verifyWith(auth, confused)).toThrow();
  });
});
