import { loadConfig } from '../config/app-config';
import { PasswordHasher } from './password-hasher.service';

describe(PasswordHasher.name, () => {
  // The production parameters: OWASP's argon2id baseline.
  const hasher = new PasswordHasher(loadConfig({ HUBSPOT_ACCESS_TOKEN: 'x' }));

  it('should hash with argon2id at 19 MiB and 2 passes with a random salt', async () => {
    const first = await hasher.hash('violet-harbour-lantern-42');
    const second = await hasher.hash('violet-harbour-lantern-42');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
  });

  it('should verify the right password and refuse a wrong one or a broken hash', async () => {
    const hash = await hasher.hash('violet-harbour-lantern-42');
    expect(await hasher.verify(hash, 'violet-harbour-lantern-42')).toBe(true);
    expect(await hasher.verify(hash, 'violet-harbour-lantern-43')).toBe(false);
    expect(await hasher.verify('not-a-hash', 'anything')).toBe(false);
  });

  it('should always answer false for the dummy check used for unknown emails', async () => {
    expect(await hasher.verifyAgainstDummy('not-a-real-password-but-same-cost')).toBe(false);
  });
});
