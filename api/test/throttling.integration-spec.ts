import { ACCOUNT_GUARD, LOGIN_LOCK, THROTTLE_RULES } from '../src/auth/auth.constants';
import {
  GOOD_PASSWORD,
  linkToken,
  login,
  type LoginBody,
  OTHER_PASSWORD,
  registerConfirmed,
  uniqueEmail,
  useTestStack,
  waitForIdleQueue,
} from './helpers/test-stack';

describe('Login throttling and lockout (state in Redis)', () => {
  // Trusting the local test client as a proxy lets a test speak from any address with X-Forwarded-For.
  const stack = useTestStack({ env: { TRUST_PROXY: '127.0.0.1' } });

  const ATTACKER = '203.0.113.66';
  const OWNER = '192.0.2.10';
  const loginFrom = (ip: string, email: string, password: string) =>
    stack.request<LoginBody>('POST', '/api/v1/auth/login', {
      body: { email, password },
      headers: { 'x-forwarded-for': ip },
    });

  beforeEach(async () => {
    await waitForIdleQueue(stack);
    await stack.reset();
  });

  it('should lock an address out of an account after 10 failures in a row, even for the right password', async () => {
    const { email } = await registerConfirmed(stack);
    for (let i = 1; i < LOGIN_LOCK.lockAfter; i++) {
      expect((await login(stack, email, `wrong password ${i}`)).status).toBe(401);
    }
    const tenth = await login(stack, email, 'wrong password 10');
    expect(tenth.status).toBe(429);
    expect(tenth.body).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(tenth.body.message).toMatch(/Try again in 15 minutes/);
    expect(Number(tenth.headers.get('retry-after'))).toBe(LOGIN_LOCK.lockSeconds);

    const correct = await login(stack, email, GOOD_PASSWORD);
    expect(correct.status).toBe(429);
    expect(Number(correct.headers.get('retry-after'))).toBeGreaterThan(LOGIN_LOCK.lockSeconds - 60);
    expect(Number(correct.headers.get('retry-after'))).toBeLessThanOrEqual(LOGIN_LOCK.lockSeconds);
  });

  // Issue 10: ten anonymous wrong passwords locked the account itself for everyone, the owner included.
  it('should let the owner sign in from another address while an attacker is locked out', async () => {
    const { email } = await registerConfirmed(stack);
    for (let i = 0; i < LOGIN_LOCK.lockAfter; i++) await loginFrom(ATTACKER, email, `wrong password ${i}`);
    expect((await loginFrom(ATTACKER, email, GOOD_PASSWORD)).body).toMatchObject({ code: 'ACCOUNT_LOCKED' });

    const owner = await loginFrom(OWNER, email, GOOD_PASSWORD);
    expect(owner.status).toBe(200);
    // The owner's sign-in does not lift the attacker's lock.
    expect((await loginFrom(ATTACKER, email, GOOD_PASSWORD)).status).toBe(429);
    // The attacker's lock is on that account only.
    const other = await registerConfirmed(stack);
    expect((await loginFrom(ATTACKER, other.email, GOOD_PASSWORD)).status).toBe(200);
  });

  it('should pause an account for new addresses after many failures from many addresses, until its owner signs in or resets', async () => {
    const { email } = await registerConfirmed(stack);
    // The owner signed in from OWNER before: that address stays allowed during the pause.
    expect((await loginFrom(OWNER, email, GOOD_PASSWORD)).status).toBe(200);
    const perAddress = LOGIN_LOCK.lockAfter - 1;
    const failures = ACCOUNT_GUARD.rule.limit + 1;
    for (let i = 0; i < failures; i++) {
      const response = await loginFrom(
        `198.51.100.${Math.floor(i / perAddress) + 1}`,
        email,
        'a wrong guess',
      );
      expect(response.status).toBe(401);
    }
    const fresh = await loginFrom('192.0.2.200', email, GOOD_PASSWORD);
    expect(fresh.status).toBe(429);
    expect(fresh.body).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(fresh.body.message).toMatch(/paused.*Forgot password/);
    expect(Number(fresh.headers.get('retry-after'))).toBeGreaterThan(ACCOUNT_GUARD.lockSeconds - 60);

    // The owner's password from an address that signed in lately gets through and ends the pause.
    expect((await loginFrom(OWNER, email, GOOD_PASSWORD)).status).toBe(200);
    expect((await loginFrom('192.0.2.200', email, GOOD_PASSWORD)).status).toBe(200);

    // Paused again: the reset link ends it too.
    for (let i = 0; i < failures; i++) {
      await loginFrom(`198.51.100.${Math.floor(i / perAddress) + 101}`, email, 'a wrong guess');
    }
    expect((await loginFrom('192.0.2.201', email, GOOD_PASSWORD)).status).toBe(429);
    await stack.request('POST', '/api/v1/auth/password/forgot', { body: { email } });
    const token = linkToken(await stack.mail.waitFor({ to: email, subject: /Reset/ }, 10_000), 'reset');
    const reset = await stack.request('POST', '/api/v1/auth/password/reset', {
      body: { token, password: OTHER_PASSWORD },
      headers: { 'x-forwarded-for': '192.0.2.202' },
    });
    expect(reset.status).toBe(200);
    expect((await loginFrom('192.0.2.201', email, OTHER_PASSWORD)).status).toBe(200);
  });

  it('should lock an unknown email exactly like a known one', async () => {
    const known = (await registerConfirmed(stack)).email;
    const unknown = uniqueEmail('unknown');
    const answers: Array<[number, unknown]> = [];
    for (const email of [known, unknown]) {
      for (let i = 0; i < LOGIN_LOCK.lockAfter + 1; i++) {
        const response = await login(stack, email, 'definitely wrong pass');
        answers.push([response.status, response.body]);
      }
    }
    const perEmail = LOGIN_LOCK.lockAfter + 1;
    expect(answers.slice(0, perEmail)).toEqual(answers.slice(perEmail));
    expect(answers[perEmail - 1]![0]).toBe(429);
  });

  it('should reset the failure count after a successful sign-in', async () => {
    const { email } = await registerConfirmed(stack);
    for (let i = 0; i < LOGIN_LOCK.lockAfter - 1; i++) await login(stack, email, 'wrong password here');
    expect((await login(stack, email, GOOD_PASSWORD)).status).toBe(200);
    for (let i = 0; i < LOGIN_LOCK.lockAfter - 1; i++) {
      expect((await login(stack, email, 'wrong password here')).status).toBe(401);
    }
  });

  it('should lift the lock when the password is reset through the mailed link', async () => {
    const { email } = await registerConfirmed(stack);
    for (let i = 0; i < LOGIN_LOCK.lockAfter; i++) await login(stack, email, 'wrong password here');
    expect((await login(stack, email, GOOD_PASSWORD)).status).toBe(429);
    await stack.request('POST', '/api/v1/auth/password/forgot', { body: { email } });
    const token = linkToken(await stack.mail.waitFor({ to: email, subject: /Reset/ }, 10_000), 'reset');
    expect(
      (
        await stack.request('POST', '/api/v1/auth/password/reset', {
          body: { token, password: OTHER_PASSWORD },
        })
      ).status,
    ).toBe(200);
    expect((await login(stack, email, OTHER_PASSWORD)).status).toBe(200);
  });

  it('should throttle sign-in attempts per IP address across many emails', async () => {
    const limit = THROTTLE_RULES.loginPerIp.limit;
    for (let i = 0; i < limit; i++) {
      const response = await login(stack, uniqueEmail(`spray${i}`), 'some wrong password');
      expect(response.status).toBe(401);
    }
    const blocked = await login(stack, uniqueEmail('spray-last'), 'some wrong password');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(blocked.body.message).toMatch(/Try again in \d+ minutes/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  // Issue 10: with TRUST_PROXY=true a client rotating its own X-Forwarded-For entry sprayed 120
  // passwords without a 429. With a trusted proxy list (or hop count) only the entry the proxy
  // appended counts, whatever the client wrote before it.
  it('should count the address the trusted proxy saw, not one the client wrote into X-Forwarded-For', async () => {
    const limit = THROTTLE_RULES.loginPerIp.limit;
    const spray = (i: number) =>
      stack.request('POST', '/api/v1/auth/login', {
        body: { email: uniqueEmail(`spray${i}`), password: 'some wrong password' },
        headers: { 'x-forwarded-for': `10.${i >> 8}.${i & 255}.1, ${ATTACKER}` },
      });
    for (let i = 0; i < limit; i++) expect((await spray(i)).status).toBe(401);
    expect((await spray(limit)).status).toBe(429);
  });

  it('should count an IPv6 client by its /64, so rotating addresses inside it does not help', async () => {
    const limit = THROTTLE_RULES.loginPerIp.limit;
    for (let i = 0; i < limit; i++) {
      const response = await loginFrom(
        `2001:db8:7:7::${(i + 1).toString(16)}`,
        uniqueEmail(`v6${i}`),
        'wrong one',
      );
      expect(response.status).toBe(401);
    }
    expect((await loginFrom('2001:db8:7:7:ffff::1', uniqueEmail('v6-last'), 'wrong one')).status).toBe(429);
    expect((await loginFrom('2001:db8:7:8::1', uniqueEmail('v6-other'), 'wrong one')).status).toBe(401);
  });

  it('should throttle sign-in attempts per address and account, and leave other addresses alone', async () => {
    const { email } = await registerConfirmed(stack);
    const limit = THROTTLE_RULES.loginPerPair.limit;
    let last = await loginFrom(ATTACKER, email, GOOD_PASSWORD);
    for (let i = 1; i <= limit; i++) last = await loginFrom(ATTACKER, email, GOOD_PASSWORD);
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await loginFrom(OWNER, email, GOOD_PASSWORD)).status).toBe(200);
    const keys = await stack.redis.keys(stack.keys.pattern());
    expect(keys.filter((k) => k.startsWith(stack.keys.key('rl', 'login-pair', '')))).toHaveLength(2);
    // No email is written into a key.
    expect(keys.join(' ')).not.toContain(email);
  });

  it('should throttle registration per email so nobody can flood an inbox', async () => {
    const email = uniqueEmail('flood');
    const statuses: number[] = [];
    for (let i = 0; i <= THROTTLE_RULES.registerPerEmail.limit; i++) {
      statuses.push(
        (
          await stack.request('POST', '/api/v1/auth/register', {
            body: { email, password: `${GOOD_PASSWORD}${i}` },
          })
        ).status,
      );
    }
    expect(statuses.slice(0, -1).every((s) => s === 202)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('should limit registration attempts per IP before the password strength check runs', async () => {
    const limit = THROTTLE_RULES.registerAttemptsPerIp.limit;
    for (let i = 0; i < limit; i++) {
      const weak = await stack.request('POST', '/api/v1/auth/register', {
        body: { email: uniqueEmail(`weak${i}`), password: 'abcabcabca' },
      });
      expect(weak.status).toBe(400);
    }
    const blocked = await stack.request('POST', '/api/v1/auth/register', {
      body: { email: uniqueEmail('weak-last'), password: GOOD_PASSWORD },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('should throttle forgot-password and resend per email and per IP', async () => {
    const email = uniqueEmail('forgetful');
    for (let i = 0; i < THROTTLE_RULES.forgotPerEmail.limit; i++) {
      expect((await stack.request('POST', '/api/v1/auth/password/forgot', { body: { email } })).status).toBe(
        202,
      );
    }
    const forgot = await stack.request('POST', '/api/v1/auth/password/forgot', { body: { email } });
    expect(forgot.status).toBe(429);
    expect(forgot.headers.get('retry-after')).toBeTruthy();

    for (let i = 0; i < THROTTLE_RULES.resendPerIp.limit; i++) {
      expect(
        (
          await stack.request('POST', '/api/v1/auth/confirm/resend', {
            body: { email: uniqueEmail(`r${i}`) },
          })
        ).status,
      ).toBe(202);
    }
    const resend = await stack.request('POST', '/api/v1/auth/confirm/resend', {
      body: { email: uniqueEmail('r-last') },
    });
    expect(resend.status).toBe(429);
    expect(resend.body).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
