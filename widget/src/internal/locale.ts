import { _installMsgImplementation } from '@lit/localize/init/install.js';
import { generateMsgId } from '@lit/localize/internal/id-generation.js';
import { runtimeMsg } from '@lit/localize/internal/runtime-msg.js';
import type { LocaleModule, MsgFn } from '@lit/localize/internal/types.js';

// The interface language (ADR 0012). English is the source: its words are in the code, so it costs
// no download. German, French, Spanish and Arabic are catalogs generated from xliff/*.xlf, one small
// lazily loaded file each. A site editor's `strings` replace any message, in every language.
// @lit/localize keeps one language per page: the last <ticket-portal> to set one wins.

export const LANGUAGES = ['en', 'de', 'fr', 'es', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A site editor's replacements: a message's English text → the text to show (`{0}`, `{1}`: its values). */
export type StringOverrides = Record<string, string>;

type Templates = NonNullable<LocaleModule['templates']>;

// build.mjs builds each catalog as its own file and points these imports at them.
const catalogs = {
  de: () => import('../generated/locales/de.js'),
  fr: () => import('../generated/locales/fr.js'),
  es: () => import('../generated/locales/es.js'),
  ar: () => import('../generated/locales/ar.js'),
};

// The one table msg() reads, filled in place: the language's catalog, the overrides on top.
const templates: Templates = {};
let wanted = '';
let overrides: StringOverrides | null = null;

const PLACEHOLDER = /\{\d+\}/;

/** `{n}` splits the English text as str`` does, and says where value n goes in the replacement. */
function overrideTemplates(): Templates {
  const result: Templates = {};
  for (const [source, text] of Object.entries(overrides ?? {})) {
    const parts = source.split(PLACEHOLDER);
    if (typeof text !== 'string') continue;
    result[generateMsgId(parts.length > 1 ? parts : source, false)] =
      parts.length > 1
        ? {
            strTag: true,
            strings: text.split(PLACEHOLDER) as unknown as TemplateStringsArray,
            values: text.match(/\{\d+\}/g)?.map((m) => parseInt(m.slice(1))) ?? [],
          }
        : text;
  }
  return result;
}

let shown: Language = 'en';
// msg() as configureLocalization() installs it, without the rest of that runtime (its loading
// promises and window events): 0.37 KB brotli the first render had no room for (ADR 0012).
// A second copy of the entry on the page (another URL of it) shares the chunk that holds msg(): the
// first copy stays in charge, as with its elements.
try {
  _installMsgImplementation(((template, options) => runtimeMsg(templates, template, options)) as MsgFn);
} catch {
  console.warn(
    '<ticket-portal>: another copy of ticket-portal.js already set up its texts; keeping the first.',
  );
}

/** The language of a BCP 47 tag, else the browser's first one we have; English when none is ours. */
export function pickLanguage(tag: string): Language {
  for (const candidate of tag ? [tag] : navigator.languages) {
    const language = candidate.toLowerCase().split('-')[0] as Language;
    if (LANGUAGES.includes(language)) return language;
  }
  return 'en';
}

/**
 * Makes msg() answer in `language` with a site editor's `strings` on top. Resolves when it does, or
 * (the catalog could not be downloaded) when the text stays English. Undefined: nothing to wait for.
 */
export function useLanguage(
  language: Language,
  strings: StringOverrides | null,
): Promise<unknown> | undefined {
  // English without overrides is the code itself.
  if (!wanted && language === 'en' && !strings) return;
  wanted = language;
  overrides = strings;
  return (language === 'en' ? Promise.resolve({ templates: {} }) : catalogs[language]())
    .then(
      (catalog) => catalog.templates,
      (error: unknown) => console.error('<ticket-portal>:', error),
    )
    .then((catalog) => {
      if (language !== wanted || strings !== overrides) return;
      // A catalog that failed leaves English, with the overrides.
      shown = catalog ? language : 'en';
      for (const id in templates) delete templates[id];
      Object.assign(templates, catalog, overrideTemplates());
    });
}

/** The language msg() answers in: English until a catalog has arrived (or when it could not). */
export const shownLanguage = (): Language => shown;
