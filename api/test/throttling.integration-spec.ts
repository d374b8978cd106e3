import { LOGIN_LOCK, THROTTLE_RULES } from '../src/auth/auth.constants';
import {
  GOOD_PASSWORD,
  linkToken,
  login,
  OTHER_PASSWORD,
  registerConfirmed,
  startTestStack,
  type TestStack,
  uniqueEmail,
  waitForIdleQueue,
} from './helpers/test-stack';

describe('Login throttling and lockout (state in Redis)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  beforeEach(async () => {
    await waitForIdleQueue(stack);
    await stack.reset();
  });

  it('should lock an email for 15 minutes after 10 failures in a row, even for the right password', async () => {
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

  it('should throttle sign-in attempts per email even when they come from different IPs', async () => {
    // The per-email rule is counted on the email's hash, whatever the client's address.
    const email = uniqueEmail('target');
    const limit = THROTTLE_RULES.loginPerEmail.limit;
    let lastStatus = 0;
    for (let i = 0; i <= limit; i++) {
      if (i % (LOGIN_LOCK.lockAfter - 1) === 0) {
        await stack.redis.del(...(await stack.redis.keys('tp:fail:*')), 'tp:none');
      }
      lastStatus = (await login(stack, email, 'wrong password again')).status;
    }
    expect(lastStatus).toBe(429);
    const keys = await stack.redis.keys('tp:rl:login-email:*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(email);
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
