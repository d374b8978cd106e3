import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { pickLanguage, shownLanguage, useLanguage, type StringOverrides } from '../internal/locale.js';

interface LanguageHost extends ReactiveControllerHost {
  /** The `locale` attribute: a BCP 47 tag, or '' for the browser's languages. */
  locale: string;
  /** The `strings` attribute or property: a site editor's replacement texts. */
  strings: StringOverrides | null;
}

/**
 * The portal's interface language (ADR 0012): picked from `locale` (else the browser's), with the
 * site editor's `strings` on top; no text is shown until msg() answers in it.
 */
export class LanguageController implements ReactiveController {
  /** Counts the languages (and overrides) msg() has switched to; 0 while the first one loads. */
  version = 1;
  private tag?: string;
  private strings?: StringOverrides | null;

  constructor(private readonly host: LanguageHost) {
    host.addController(this);
  }

  hostUpdate(): void {
    const { locale, strings } = this.host;
    if (locale === this.tag && strings === this.strings) return;
    this.tag = locale;
    this.strings = strings;
    const next = useLanguage(pickLanguage(locale), strings);
    if (!next) return;
    const version = this.version;
    this.version = 0;
    void next.then(() => {
      this.version = version + 1;
      this.host.requestUpdate();
    });
  }

  /** The language of the text on screen: the site's own tag when it names that language (`de-AT`). */
  get lang(): string {
    const shown = shownLanguage();
    return this.tag?.toLowerCase().split('-')[0] === shown ? this.tag : shown;
  }
}
