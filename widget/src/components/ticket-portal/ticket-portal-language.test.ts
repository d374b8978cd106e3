// The interface language (ADR 0012): `locale` (else the browser's languages) picks it, its catalog
// arrives before any text is shown, Arabic is right-to-left, and a site editor's `strings` win.
import { assert, expect, waitUntil } from '../../../test/testing.js';
import { $, clearStorage, link, mountPortal, screen, text } from '../../../test/helpers.js';
import type { TicketPortal } from '../../ticket-portal.js';

const base = (portal: TicketPortal) => portal.shadowRoot!.querySelector<HTMLElement>('[part~="base"]')!;
/** An element's own text (`text()` reads a shadow root). */
const plain = (element: Element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim();
const heading = (host: Element) => plain($(host, '.heading'));

/** The Sign in screen once its heading reads `title` (the catalog may still be on its way). */
async function signInScreen(portal: TicketPortal, title: string) {
  await waitUntil(
    () => {
      const screen = portal.shadowRoot?.querySelector('tp-sign-in');
      return screen?.shadowRoot?.querySelector('.heading') && heading(screen) === title;
    },
    `expected the heading "${title}"`,
    { timeout: 5000 },
  );
  return screen(portal, 'tp-sign-in');
}

describe('TicketPortal languages', () => {
  let languages: PropertyDescriptor | undefined;
  beforeEach(() => {
    languages = Object.getOwnPropertyDescriptor(navigator, 'languages');
  });
  afterEach(() => {
    clearStorage();
    history.replaceState(null, '', location.pathname + location.search);
    if (languages) Object.defineProperty(navigator, 'languages', languages);
    else delete (navigator as { languages?: unknown }).languages;
  });

  it('should speak English without a locale in an English browser, left to right', async () => {
    Object.defineProperty(navigator, 'languages', { value: ['en-GB', 'de'], configurable: true });
    const { portal } = await mountPortal();
    const signIn = await signInScreen(portal, 'Sign in');
    assert.include(text(signIn), 'Register here');
    assert.strictEqual(base(portal).lang, 'en');
    assert.strictEqual(base(portal).dir, 'ltr');
  });

  it('should follow the browser’s first language the portal has when there is no locale', async () => {
    Object.defineProperty(navigator, 'languages', { value: ['pt-BR', 'fr-CA', 'en'], configurable: true });
    const { portal } = await mountPortal();
    const signIn = await signInScreen(portal, 'Se connecter');
    assert.include(text(signIn), 'Inscrivez-vous ici');
    assert.strictEqual(base(portal).lang, 'fr');
  });

  it('should take German from locale="de-AT", keep the tag as lang, and show no English meanwhile', async () => {
    const { portal } = await mountPortal({ attrs: { locale: 'de-AT' } });
    // Until the catalog is there, no text at all (no flash of English).
    assert.strictEqual(plain(base(portal)), '');
    const signIn = await signInScreen(portal, 'Anmelden');
    assert.include(text(signIn), 'Passwort vergessen');
    assert.include(text(signIn), 'Brauchen Sie Hilfe?');
    assert.strictEqual(base(portal).lang, 'de-AT');
    assert.strictEqual(base(portal).dir, 'ltr');
  });

  it('should show Arabic right to left on the portal’s root, and stay accessible', async () => {
    const { portal } = await mountPortal({ attrs: { locale: 'ar' } });
    const signIn = await signInScreen(portal, 'تسجيل الدخول');
    assert.strictEqual(base(portal).dir, 'rtl');
    assert.strictEqual(base(portal).lang, 'ar');
    assert.strictEqual(getComputedStyle($(signIn, 'form')).direction, 'rtl');
    await expect(portal).to.be.accessible();
  });

  it('should keep the account screens accessible in Arabic, in the dark theme too', async () => {
    for (const theme of ['light', 'dark']) {
      // The links write the screen into the address (#tp-screen=…): each portal starts on Sign in.
      history.replaceState(null, '', location.pathname + location.search);
      const { portal } = await mountPortal({ attrs: { locale: 'ar', theme } });
      const signIn = await signInScreen(portal, 'تسجيل الدخول');
      link(signIn, 'سجّل هنا').click();
      const register = await screen(portal, 'tp-register');
      await waitUntil(() => heading(register) === 'التسجيل', 'Register is not in Arabic', { timeout: 5000 });
      assert.include(text(register), 'كلمة المرور');
      await expect(portal).to.be.accessible();
      link(register, 'تسجيل الدخول').click();
      link(await signInScreen(portal, 'تسجيل الدخول'), 'نسيت كلمة المرور').click();
      const forgot = await screen(portal, 'tp-forgot-password');
      assert.strictEqual(heading(forgot), 'نسيت كلمة المرور');
      await expect(portal).to.be.accessible();
      portal.remove();
    }
  });

  it('should fall back to English for a language it does not have, with that locale’s dates', async () => {
    const { portal } = await mountPortal({ attrs: { locale: 'ja-JP' } });
    const signIn = await signInScreen(portal, 'Sign in');
    assert.include(text(signIn), 'Forgot password');
    assert.strictEqual(base(portal).lang, 'en');
    assert.strictEqual(base(portal).dir, 'ltr');
  });

  it('should switch language when locale changes on a live element', async () => {
    const { portal } = await mountPortal({ attrs: { locale: 'es' } });
    await signInScreen(portal, 'Iniciar sesión');
    portal.setAttribute('locale', 'en');
    const signIn = await signInScreen(portal, 'Sign in');
    assert.include(text(signIn), 'Remember me');
  });

  describe('strings (a site editor’s overrides)', () => {
    it('should replace a message in English, from the attribute as JSON', async () => {
      const { portal } = await mountPortal({
        attrs: {
          locale: 'en',
          strings: JSON.stringify({ 'Sign in': 'Log in', 'Register here': 'Create an account' }),
        },
      });
      const signIn = await signInScreen(portal, 'Log in');
      assert.include(text(signIn), 'Create an account');
      assert.notInclude(text(signIn), 'Register here');
      assert.include(plain($(signIn, 'button[type="submit"]')), 'Log in');
    });

    it('should win over the catalog, and put a message’s values where {0} says', async () => {
      const { portal } = await mountPortal({
        attrs: {
          locale: 'de',
          'company-name': 'Harbour Lights',
          strings: JSON.stringify({ 'Sign in': 'Einloggen', 'contact the {0} team': 'schreiben Sie an {0}' }),
        },
      });
      const signIn = await signInScreen(portal, 'Einloggen');
      // The rest stays German.
      assert.include(text(signIn), 'Passwort vergessen');
      assert.include(plain($(signIn, '[part~="help"]')), 'schreiben Sie an Harbour Lights Support');
    });

    it('should apply overrides set later through the strings property, and drop them again', async () => {
      const { portal } = await mountPortal({ attrs: { locale: 'fr' } });
      await signInScreen(portal, 'Se connecter');
      portal.strings = { 'Sign in': 'Connexion' };
      await signInScreen(portal, 'Connexion');
      portal.strings = null;
      await signInScreen(portal, 'Se connecter');
    });

    it('should ignore an attribute that is not JSON', async () => {
      const { portal } = await mountPortal({ attrs: { locale: 'en', strings: '{"Sign in": ' } });
      await signInScreen(portal, 'Sign in');
    });
  });
});
