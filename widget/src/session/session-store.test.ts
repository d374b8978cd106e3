import { assert } from '@open-wc/testing';
import type { LoginResponse } from '../api/api-types.js';
import { SESSION_CHANGE_EVENT, SessionStore, sessionKey, type SessionChangeEvent } from './session-store.js';

const login = (expiresInMs = 60_000, token = 'token-1'): LoginResponse => ({
  accessToken: token,
  expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  customer: { id: 'c1', email: 'ada@example.com', name: 'Ada', confirmedAt: '2026-11-01T00:00:00Z' },
});

describe('SessionStore', () => {
  const url = 'https://api.one.test';
  afterEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('should keep a remembered session in localStorage and a tab session in sessionStorage', () => {
    const store = new SessionStore(url);

    store.signIn(login(), true);
    assert.include(localStorage.getItem(sessionKey(url)), 'token-1');
    assert.strictEqual(sessionStorage.getItem(sessionKey(url)), null);

    store.signIn(login(60_000, 'token-2'), false);
    assert.include(sessionStorage.getItem(sessionKey(url)), 'token-2');
    assert.strictEqual(localStorage.getItem(sessionKey(url)), null);
  });

  it('should restore the session in a new store for the same API only', () => {
    new SessionStore(url).signIn(login(), true);

    assert.strictEqual(new SessionStore(`${url}/`).current?.accessToken, 'token-1');
    assert.strictEqual(new SessionStore('https://api.two.test').current, null);
  });

  it('should drop an expired or corrupted session when reading it', () => {
    localStorage.setItem(sessionKey(url), JSON.stringify({ ...login(-1000), remember: true }));
    assert.strictEqual(new SessionStore(url).current, null);
    assert.strictEqual(localStorage.getItem(sessionKey(url)), null);

    sessionStorage.setItem(sessionKey(url), '{not json');
    assert.strictEqual(new SessionStore(url).current, null);
  });

  it('should report null once expiresAt has passed', async () => {
    const store = new SessionStore(url);
    store.signIn(login(50), false);
    assert.notStrictEqual(store.current, null);

    await new Promise((resolve) => setTimeout(resolve, 80));

    assert.strictEqual(store.current, null);
  });

  it('should announce sign in and sign out with the reason, and clear both storages', () => {
    const store = new SessionStore(url);
    const reasons: string[] = [];
    store.addEventListener(SESSION_CHANGE_EVENT, (e) => reasons.push((e as SessionChangeEvent).reason));

    store.signIn(login(), true);
    store.clear('expired');
    store.clear('user'); // nothing left to end: no second event

    assert.deepEqual(reasons, ['signed-in', 'expired']);
    assert.strictEqual(localStorage.getItem(sessionKey(url)), null);
    assert.strictEqual(sessionStorage.getItem(sessionKey(url)), null);
  });

  it('should follow another window signing out of a remembered session', () => {
    const here = new SessionStore(url);
    here.signIn(login(), true);
    const reasons: string[] = [];
    here.addEventListener(SESSION_CHANGE_EVENT, (e) => reasons.push((e as SessionChangeEvent).reason));

    new SessionStore(url).clear('user'); // the other window
    here.sync();

    assert.strictEqual(here.current, null);
    assert.deepEqual(reasons, ['other-window']);
  });

  it('should work in memory when storage is unavailable', () => {
    const store = new SessionStore(url, { local: null, session: null });

    store.signIn(login(), true);

    assert.strictEqual(store.current?.accessToken, 'token-1');
    assert.strictEqual(localStorage.length, 0);
  });
});
