import { assert, expect, waitUntil } from '../../../test/testing.js';
import { deepActiveElement } from '../../../test/helpers.js';
import { $, button, textOf } from '../../../test/shadow.js';
import {
  EMAIL,
  afterEachRequests,
  mountSignedIn,
  shell,
  tpParams,
  view,
} from '../../../test/requests-helpers.js';
import type { TpRequestForm } from './request-form.component.js';

function type(form: TpRequestForm, id: string, value: string): void {
  const control = $<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(form, `#${id}`);
  control.value = value;
  control.dispatchEvent(
    new Event(control instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }),
  );
  if (control instanceof HTMLSelectElement) control.dispatchEvent(new Event('input', { bubbles: true }));
}

const draftKeys = () => Object.keys(localStorage).filter((k) => k.startsWith('tp-draft:'));

async function openForm() {
  const mounted = await mountSignedIn({ search: 'tp-new=request' });
  const form = await view(mounted.portal, 'tp-request-form');
  await waitUntil(() => form.shadowRoot!.querySelector('#priority'), 'the optional fields did not load');
  return { ...mounted, form };
}

describe('TpRequestForm', () => {
  afterEach(afterEachRequests);

  it("should show subject, description and the company's optional fields with their labels", async () => {
    const { form, portal } = await openForm();
    assert.strictEqual(textOf($(form, 'h3')), 'Submit a Request');
    assert.strictEqual(textOf($(form, 'label[for="subject"]')), 'Subject');
    assert.strictEqual(textOf($(form, 'label[for="description"]')), 'Description');
    assert.strictEqual(textOf($(form, 'label[for="priority"]')), 'Priority (optional)');
    const options = [...$<HTMLSelectElement>(form, '#category').options].map((o) => [o.value, o.text.trim()]);
    assert.deepEqual(options, [
      ['', 'Not set'],
      ['BILLING', 'Billing'],
      ['PRODUCT_ISSUE', 'Product issue'],
    ]);
    assert.isTrue(!!button(form, 'Submit'));
    assert.include(textOf(shell(portal).shadowRoot!.querySelector('[part~="help"]')), 'Need Help?');
    assert.deepEqual(tpParams(), { 'tp-new': 'request' });
    await expect(form).to.be.accessible();
  });

  it('should check the fields inline, tie each error to its input and focus the first one on Submit', async () => {
    const { form, api } = await openForm();
    button(form, 'Submit').click();
    await waitUntil(() => form.shadowRoot!.querySelector('#subject-error'), 'no subject error');
    const subject = $<HTMLInputElement>(form, '#subject');
    const description = $<HTMLTextAreaElement>(form, '#description');
    assert.strictEqual(subject.getAttribute('aria-invalid'), 'true');
    assert.include(subject.getAttribute('aria-describedby')!.split(' '), 'subject-error');
    assert.include(description.getAttribute('aria-describedby')!.split(' '), 'description-error');
    assert.strictEqual(textOf($(form, '#subject-error')), 'Enter a subject.');
    assert.strictEqual(textOf($(form, '#description-error')), 'Enter a description.');
    assert.isTrue(deepActiveElement() === subject, 'focus is elsewhere');
    assert.lengthOf(api.callsTo('tickets', 'POST'), 0);
    await expect(form).to.be.accessible();

    // Typing fixes the error as it goes; too long a subject says how long it is.
    type(form, 'subject', 'x'.repeat(201));
    subject.dispatchEvent(new Event('change', { bubbles: true }));
    await form.updateComplete;
    assert.strictEqual(
      textOf($(form, '#subject-error')),
      'Use at most 200 characters for the subject (you have 201).',
    );
    type(form, 'subject', 'Invoice shows the wrong total');
    await form.updateComplete;
    assert.isFalse(!!form.shadowRoot!.querySelector('#subject-error'));
    assert.strictEqual(subject.getAttribute('aria-invalid'), 'false');
  });

  it('should keep the draft across a reload, for this customer only, and let it be discarded', async () => {
    const first = await openForm();
    type(first.form, 'subject', 'Cue sheet upload fails');
    type(first.form, 'description', 'Every upload stops at 99 %.');
    type(first.form, 'priority', 'HIGH');
    assert.deepEqual(draftKeys(), [`tp-draft:${first.api.baseUrl}:${first.api.accounts.get(EMAIL)!.id}`]);

    // A reload: the same page and storage, a new portal.
    first.portal.remove();
    const { portal } = await mountSignedIn({ reload: first });
    const form = await view(portal, 'tp-request-form');
    await waitUntil(() => form.shadowRoot!.querySelector('#priority'));
    assert.strictEqual($<HTMLInputElement>(form, '#subject').value, 'Cue sheet upload fails');
    assert.strictEqual($<HTMLTextAreaElement>(form, '#description').value, 'Every upload stops at 99 %.');
    assert.strictEqual($<HTMLSelectElement>(form, '#priority').value, 'HIGH');
    assert.include(
      textOf(form.shadowRoot!.querySelector('[part~="notice"]')),
      'We kept the request you had started.',
    );

    button(form, 'Discard draft').click();
    await form.updateComplete;
    assert.strictEqual($<HTMLInputElement>(form, '#subject').value, '');
    assert.lengthOf(draftKeys(), 0);
  });

  it('should reuse the Idempotency-Key when the same submission is retried, then open the new ticket', async () => {
    const { form, api, portal } = await openForm();
    type(form, 'subject', 'Royalty statement missing');
    type(form, 'description', 'Q3 is not there.');
    type(form, 'category', 'BILLING');
    api.failures.push('offline');
    button(form, 'Submit').click();

    await waitUntil(() => form.shadowRoot!.querySelector('[part~="alert"]'), 'no form-level alert');
    assert.include(textOf($(form, '[part~="alert"]')), "We can't reach the portal right now.");
    assert.strictEqual($<HTMLInputElement>(form, '#subject').value, 'Royalty statement missing');
    const [first] = api.callsTo('tickets', 'POST');
    const key = first!.headers.get('Idempotency-Key');
    assert.match(key!, /^[\w-]{16,}$/);

    button(form, 'Retry').click();
    await waitUntil(() => portal.shadowRoot!.querySelector('tp-ticket-page'), 'the new ticket did not open');
    const calls = api.callsTo('tickets', 'POST');
    assert.lengthOf(calls, 2);
    assert.strictEqual(calls[1]!.headers.get('Idempotency-Key'), key);
    assert.deepEqual(calls[1]!.body, {
      subject: 'Royalty statement missing',
      description: 'Q3 is not there.',
      category: 'BILLING',
    });
    assert.lengthOf(api.tickets, 1);
    const created = api.tickets[0]!;
    assert.deepEqual(tpParams(), { 'tp-ticket': created.localId });
    assert.lengthOf(draftKeys(), 0);

    const page = await view(portal, 'tp-ticket-page');
    await waitUntil(() => textOf(page.shadowRoot!.querySelector('[part~="notice"]')).includes('submitted'));
    await waitUntil(
      () => textOf(page.shadowRoot!.querySelector('[role="status"][aria-live]')).includes('submitted'),
      'the success was not announced',
    );
    assert.include(textOf(page.shadowRoot!.querySelector('[part~="sync-state"]')), 'Sending to support…');
  });

  it('should send an edited draft with a new key, and answer a reused key by starting a new submission', async () => {
    const { form, api } = await openForm();
    type(form, 'subject', 'First try');
    type(form, 'description', 'Body');
    api.failures.push({ status: 503, code: 'UNAVAILABLE', message: 'The portal is busy. Try again.' });
    button(form, 'Submit').click();
    await waitUntil(() => form.shadowRoot!.querySelector('[part~="alert"]'));
    assert.isTrue(!!button(form, 'Retry'), 'a server fault offers Retry');
    const key1 = api.callsTo('tickets', 'POST')[0]!.headers.get('Idempotency-Key');

    type(form, 'subject', 'Second try, reworded');
    api.failures.push({ status: 503, code: 'UNAVAILABLE', message: 'The portal is busy. Try again.' });
    button(form, 'Submit').click();
    await waitUntil(() => api.callsTo('tickets', 'POST').length === 2);
    assert.notStrictEqual(api.callsTo('tickets', 'POST')[1]!.headers.get('Idempotency-Key'), key1);

    // Another tab used this draft's key for other text: Retry sends this text under a new key.
    await waitUntil(() => form.shadowRoot!.querySelector('[part~="alert"]'));
    const key2 = api.callsTo('tickets', 'POST')[1]!.headers.get('Idempotency-Key');
    api.failures.push({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'This request key was already used for other content.',
    });
    button(form, 'Retry').click();
    await waitUntil(() => textOf(form.shadowRoot!.querySelector('[part~="alert"]')).includes('already used'));
    button(form, 'Retry').click();
    await waitUntil(() => api.tickets.length === 1, 'the request was not created');
    const calls = api.callsTo('tickets', 'POST');
    assert.strictEqual(calls[2]!.headers.get('Idempotency-Key'), key2, 'a retry reuses the key');
    assert.notStrictEqual(calls[3]!.headers.get('Idempotency-Key'), key2, 'a reused key is replaced');
  });

  it("should show the API's field reasons next to the field it names", async () => {
    const { form, api } = await openForm();
    type(form, 'subject', 'Something');
    type(form, 'description', 'Something else');
    api.failures.push({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'category: Choose one of BILLING, PRODUCT_ISSUE.',
      fields: { category: 'Choose one of BILLING, PRODUCT_ISSUE.' },
    });
    button(form, 'Submit').click();
    await waitUntil(() => form.shadowRoot!.querySelector('#category-error'));
    assert.strictEqual(textOf($(form, '#category-error')), 'Choose one of BILLING, PRODUCT_ISSUE.');
    assert.strictEqual($(form, '#category').getAttribute('aria-invalid'), 'true');
    assert.isTrue(deepActiveElement() === $(form, '#category'), 'focus is elsewhere');
    assert.isFalse(!!form.shadowRoot!.querySelector('[part~="alert"]'));
  });

  it('should go back to the list with Back to your tickets and keep the draft', async () => {
    const { form, portal } = await openForm();
    type(form, 'subject', 'Half-written');
    $<HTMLAnchorElement>(form, '[part~="back"]').click();
    await view(portal, 'tp-ticket-list');
    assert.deepEqual(tpParams(), {});
    assert.lengthOf(draftKeys(), 1);
  });

  it('should put colleagues in copy: check the addresses, the limit and the own email, then send them', async () => {
    const { form, api, portal } = await openForm();
    assert.strictEqual(textOf($(form, 'label[for="cc"]')), 'Colleagues in copy (optional)');
    assert.include(textOf($(form, '#cc-hint')), 'Up to 5 email addresses');
    type(form, 'subject', 'Statement for the label');
    type(form, 'description', 'Please copy my colleagues.');
    const cc = $<HTMLInputElement>(form, '#cc');
    const tryWith = async (value: string): Promise<string> => {
      type(form, 'cc', value);
      button(form, 'Submit').click();
      await waitUntil(() => form.shadowRoot!.querySelector('#cc-error'), `no error for ${value}`);
      assert.strictEqual(cc.getAttribute('aria-invalid'), 'true');
      assert.include(cc.getAttribute('aria-describedby')!.split(' '), 'cc-error');
      assert.isTrue(deepActiveElement() === cc, 'focus is elsewhere');
      return textOf($(form, '#cc-error'));
    };
    assert.include(await tryWith('sam@example.com, not-an-email'), '"not-an-email" is not an email address');
    assert.strictEqual(
      await tryWith('a@x.io b@x.io c@x.io d@x.io e@x.io f@x.io'),
      'You can put at most 5 colleagues in copy (you have 6).',
    );
    assert.include(await tryWith(`sam@example.com; ${EMAIL.toUpperCase()}`), 'your own email');
    assert.lengthOf(api.callsTo('tickets', 'POST'), 0);
    await expect(form).to.be.accessible();

    // Fixing it clears the error as the customer types; each address goes once.
    type(form, 'cc', 'sam@example.com, lee@example.com, SAM@example.com');
    await form.updateComplete;
    assert.isFalse(!!form.shadowRoot!.querySelector('#cc-error'));
    button(form, 'Submit').click();
    await waitUntil(() => portal.shadowRoot!.querySelector('tp-ticket-page'), 'the new ticket did not open');
    assert.deepEqual(api.callsTo('tickets', 'POST')[0]!.body, {
      subject: 'Statement for the label',
      description: 'Please copy my colleagues.',
      cc: ['sam@example.com', 'lee@example.com'],
    });
  });

  it("should show the API's refusal of the colleagues at the field", async () => {
    const { form, api } = await openForm();
    type(form, 'subject', 'Something');
    type(form, 'description', 'Something else');
    type(form, 'cc', 'sam@example.com');
    api.failures.push({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'cc: cc must hold email addresses such as sam@example.com.',
      fields: { cc: 'cc must hold email addresses such as sam@example.com.' },
    });
    button(form, 'Submit').click();
    await waitUntil(() => form.shadowRoot!.querySelector('#cc-error'));
    assert.strictEqual(textOf($(form, '#cc-error')), 'cc must hold email addresses such as sam@example.com.');
    assert.isFalse(!!form.shadowRoot!.querySelector('[part~="alert"]'));
  });
});
