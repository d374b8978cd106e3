// Every message has a translation in every catalog (widget/xliff/*.xlf), with the same values.
// `npx lit-localize extract` adds a new message to each file without one: this test names it.
import { assert } from '@open-wc/testing';

const placeholders = (segment: Element) =>
  [...segment.querySelectorAll('x')].map((x) => x.getAttribute('id')).sort();

describe('the translations (xliff/*.xlf)', () => {
  for (const language of ['de', 'fr', 'es', 'ar']) {
    it(`should translate every message into ${language}, keeping its values`, async () => {
      const response = await fetch(new URL(`../../xliff/${language}.xlf`, import.meta.url));
      assert.isTrue(response.ok, `xliff/${language}.xlf`);
      const doc = new DOMParser().parseFromString(await response.text(), 'application/xml');
      const units = [...doc.querySelectorAll('trans-unit')];
      assert.isAbove(units.length, 200);
      const untranslated = units.filter((unit) => !unit.querySelector('target')?.textContent?.trim());
      assert.deepEqual(
        untranslated.map((unit) => unit.querySelector('source')?.textContent),
        [],
        `messages without a ${language} translation`,
      );
      for (const unit of units) {
        const [source, target] = [unit.querySelector('source')!, unit.querySelector('target')!];
        assert.deepEqual(placeholders(target), placeholders(source), `${language}: ${source.textContent}`);
      }
    });
  }
});
