import { assert, expect, waitUntil } from '../../../test/testing.js';
import { deepActiveElement } from '../../../test/helpers.js';
import { $, $$, button, hasButton, textOf } from '../../../test/shadow.js';
import { HOSTILE_HTML, makeDetail, message, type FakeApi } from '../../../test/fake-api.js';
import { afterEachRequests, mountSignedIn, shell, tpParams, view } from '../../../test/requests-helpers.js';
import type { TicketDetail } from '../../api/api-types.js';
import { TpTicketPage } from './ticket-page.component.js';

/** Term → definition of the ticket's fields. */
const details = (page: Element): Record<string, string> =>
  Object.fromEntries(
    $$(page, '.details__item').map((item) => {
      const dd = item.querySelector('dd')!.cloneNode(true) as HTMLElement;
      dd.querySelectorAll('.visually-hidden').forEach((n) => n.remove());
      return [textOf(item.querySelector('dt')), textOf(dd)];
    }),
  );

async function openTicket(ticket: TicketDetail, extra: (api: FakeApi) => void = () => undefined) {
  const mounted = await mountSignedIn({
    search: `tp-ticket=${ticket.localId}`,
    setup: (api) => {
      api.add(ticket);
      extra(api);
    },
  });
  const page = await view(mounted.portal, 'tp-ticket-page');
  await waitUntil(() => page.shadowRoot!.querySelector('.conversation, .muted'), 'the ticket did not load');
  return { ...mounted, page };
}

/** A proxy strips the event stream: the page falls back to polling (what these tests watch). */
const polling = (api: FakeApi): void => {
  api.events.mode = 'json';
};

describe('TpTicketPage', () => {
  const interval = TpTicketPage.pollInterval;
  const idleInterval = TpTicketPage.idlePollInterval;
  afterEach(() => {
    TpTicketPage.pollInterval = interval;
    TpTicketPage.idlePollInterval = idleInterval;
    afterEachRequests();
  });

  it('should show every list field, the description, priority, category and the conversation oldest first', async () => {
    const ticket = makeDetail();
    const { page, portal } = await openTicket(ticket);
    assert.strictEqual(textOf($(page, 'h3')), ticket.subject);
    const fields = details(page);
    assert.deepInclude(fields, {
      'Ticket ID': ticket.id!,
      Status: 'Waiting on us',
      'Ticket Owner': 'Priya Shah',
      'Requested By': 'Ada Lovelace',
      Priority: 'High',
      Category: 'Billing',
    });
    assert.includeMembers(Object.keys(fields), ['Created', 'Last Activity']);
    assert.strictEqual(textOf($(page, '[part~="description"]')), ticket.description!.replace(/\s+/g, ' '));
    const messages = $$(page, '[part~="message"]');
    assert.deepEqual(
      messages.map((m) => m.dataset.from),
      ['customer', 'support'],
    );
    assert.include(textOf(messages[1]), 'Priya Shah');
    assert.include(textOf(messages[1]), 'looking into it');
    // Customer and support look different, not only by name.
    assert.notStrictEqual(
      getComputedStyle(messages[0]!).justifySelf,
      getComputedStyle(messages[1]!).justifySelf,
    );
    assert.strictEqual(
      messages[0]!.querySelector('time')!.getAttribute('datetime'),
      ticket.messages[0]!.sentAt,
    );
    assert.include(textOf(shell(portal).shadowRoot!.querySelector('[part~="help"]')), 'Need Help?');
    await expect(page).to.be.accessible();
  });

  it('should keep hostile HTML from support inert: no script, handler, style or javascript: link survives', async () => {
    const ticket = makeDetail({ messages: [message({ from: 'support', html: HOSTILE_HTML })] });
    const { page } = await openTicket(ticket);
    const body = $(page, '[part~="message-body"]');
    // Booleans, not elements, in assertions: chai's message for a DOM node can take forever.
    assert.isFalse(!!page.shadowRoot!.querySelector('script, iframe, img, svg, object, embed'));
    assert.lengthOf(body.querySelectorAll('script, style, iframe, img, svg, form, input, object, embed'), 0);
    for (const element of [body, ...body.querySelectorAll('*')]) {
      for (const attribute of element.getAttributeNames()) {
        assert.notMatch(attribute, /^on/i, `${element.localName} kept ${attribute}`);
        if (element !== body) assert.notStrictEqual(attribute, 'style', `${element.localName} kept a style`);
      }
    }
    const links = [...body.querySelectorAll('a')];
    for (const a of links) {
      if (a.hasAttribute('href')) assert.match(a.getAttribute('href')!, /^(https?:|mailto:)/);
      assert.notMatch(a.getAttribute('href') ?? '', /javascript/i);
    }
    const help = links.find((a) => a.textContent === 'help')!;
    assert.strictEqual(help.getAttribute('href'), 'https://example.com/help');
    assert.strictEqual(help.getAttribute('rel'), 'noopener noreferrer nofollow');
    assert.strictEqual(help.getAttribute('target'), '_blank');
    assert.include(body.textContent, 'kept text');
    assert.include(body.textContent, 'styled');
    assert.notInclude(body.textContent, '__pwned');
    help.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    body.querySelector('p')?.click();
    assert.isUndefined((window as unknown as { __pwned?: number }).__pwned);
    await expect(page).to.be.accessible();
  });

  it('should show a reply at once as pending, then as synced once support has it', async () => {
    TpTicketPage.pollInterval = 50;
    const ticket = makeDetail();
    const { page, api } = await openTicket(ticket, polling);
    api.hold();
    const box = $<HTMLTextAreaElement>(page, '#reply');
    box.value = 'Any news on this?';
    button(page, 'Send reply').click();

    await waitUntil(() => page.shadowRoot!.querySelector('[data-local]'), 'the reply did not show at once');
    assert.include(textOf($(page, '[data-local]')), 'Any news on this?');
    assert.include(textOf($(page, '[data-local]')), 'Sending…');
    assert.strictEqual(box.value, '');
    api.release();

    await waitUntil(() => !page.shadowRoot!.querySelector('[data-local]'), 'the API did not take the reply');
    const last = () => $$(page, '[part~="message"]').at(-1)!;
    assert.include(textOf(last()), 'Any news on this?');
    assert.include(textOf(last()), 'Sending to support…');
    const [call] = api.callsTo(`tickets/${ticket.localId}/replies`, 'POST');
    assert.deepEqual(call!.body, { body: 'Any news on this?' });
    assert.ok(call!.headers.get('Idempotency-Key'));

    api.sync(ticket.localId);
    await waitUntil(() => !textOf(last()).includes('Sending'), 'the page did not pick up the synced reply');
  });

  it('should show what support writes in HubSpot without a reload, and say so (polling, without the stream)', async () => {
    TpTicketPage.idlePollInterval = 50;
    const ticket = makeDetail();
    const { page, api } = await openTicket(ticket, polling);
    const before = $$(page, '[data-from="support"]').length;
    api
      .ticket(ticket.localId)!
      .messages.push(message({ from: 'support', html: '<p>We have shipped the fix.</p>', minutesAgo: 0 }));
    await waitUntil(
      () => $$(page, '[data-from="support"]').length === before + 1,
      'the new reply did not show',
    );
    assert.include(textOf($$(page, '[data-from="support"]').at(-1)), 'We have shipped the fix.');
    await waitUntil(
      () => textOf($(page, '.visually-hidden[role="status"]')) === 'New reply from support.',
      `status: ${textOf($(page, '.visually-hidden[role="status"]'))}`,
    );
  });

  it('should keep a failed reply with Retry, which sends it again with the same key', async () => {
    const ticket = makeDetail();
    const { page, api } = await openTicket(ticket);
    api.failures.push('offline');
    $<HTMLTextAreaElement>(page, '#reply').value = 'Hello?';
    button(page, 'Send reply').click();
    await waitUntil(() => textOf(page.shadowRoot!.querySelector('[data-local]')).includes('Not sent'));
    assert.include(textOf($(page, '[part~="alert"]')), 'Your reply was not sent.');
    const local = $(page, '[data-local]');
    [...local.querySelectorAll('button')].find((b) => textOf(b) === 'Retry')!.click();
    await waitUntil(() => !page.shadowRoot!.querySelector('[data-local]'));
    const calls = api.callsTo(`tickets/${ticket.localId}/replies`, 'POST');
    assert.lengthOf(calls, 2);
    assert.strictEqual(calls[0]!.headers.get('Idempotency-Key'), calls[1]!.headers.get('Idempotency-Key'));
  });

  it('should refuse an empty reply with an error tied to the box', async () => {
    const { page, api } = await openTicket(makeDetail());
    button(page, 'Send reply').click();
    await waitUntil(() => page.shadowRoot!.querySelector('#reply-error'));
    assert.strictEqual($(page, '#reply').getAttribute('aria-invalid'), 'true');
    assert.strictEqual($(page, '#reply').getAttribute('aria-describedby'), 'reply-error');
    assert.isTrue(deepActiveElement() === $(page, '#reply'), 'focus is elsewhere');
    assert.lengthOf(
      api.calls.filter((c) => c.path.endsWith('/replies')),
      0,
    );
  });

  it('should close after confirmation and reopen, saying so each time', async () => {
    const ticket = makeDetail();
    const { page, api } = await openTicket(ticket);
    button(page, 'Close ticket').click();
    await page.updateComplete;
    assert.include(
      textOf(page.shadowRoot!.querySelector('.confirm')),
      'Close this ticket? You can reopen it later.',
    );
    assert.lengthOf(
      api.callsTo(`tickets/${ticket.localId}/close`, 'POST'),
      0,
      'nothing happens before confirming',
    );
    await expect(page).to.be.accessible();
    button(page, 'Close ticket').click();

    await waitUntil(() => hasButton(page, 'Reopen ticket'), 'the ticket did not close');
    assert.strictEqual(details(page).Status, 'Closed');
    assert.include(
      textOf(page.shadowRoot!.querySelector('[role="status"][aria-live]')),
      'This ticket is closed.',
    );
    assert.isTrue(deepActiveElement() === button(page, 'Reopen ticket'), 'focus is elsewhere');

    button(page, 'Reopen ticket').click();
    await waitUntil(() => hasButton(page, 'Close ticket'), 'the ticket did not reopen');
    assert.strictEqual(details(page).Status, 'New');
    assert.include(
      textOf(page.shadowRoot!.querySelector('[role="status"][aria-live]')),
      'This ticket is open again.',
    );
    assert.lengthOf(api.callsTo(`tickets/${ticket.localId}/reopen`, 'POST'), 1);
  });

  it('should keep the ticket open when Keep it open is chosen', async () => {
    const ticket = makeDetail();
    const { page, api } = await openTicket(ticket);
    button(page, 'Close ticket').click();
    await page.updateComplete;
    button(page, 'Keep it open').click();
    await page.updateComplete;
    assert.isFalse(!!page.shadowRoot!.querySelector('.confirm'));
    assert.lengthOf(api.callsTo(`tickets/${ticket.localId}/close`, 'POST'), 0);
  });

  it('should show why support refused a request, and Retry it', async () => {
    TpTicketPage.pollInterval = 50;
    const ticket = makeDetail({
      id: null,
      syncState: 'failed',
      syncError: 'The category is not accepted by support.',
    });
    const { page, api } = await openTicket(ticket, polling);
    const alert = $(page, '[part~="sync-state"]');
    assert.strictEqual(alert.getAttribute('role'), 'alert');
    assert.include(textOf(alert), 'Support could not receive this request.');
    assert.include(textOf(alert), 'The category is not accepted by support.');
    assert.strictEqual(details(page)['Ticket ID'], 'Not sent yet');
    await expect(page).to.be.accessible();

    button(page, 'Retry').click();
    await waitUntil(() =>
      textOf(page.shadowRoot!.querySelector('[part~="sync-state"]')).includes('Sending to support…'),
    );
    assert.lengthOf(api.callsTo(`tickets/${ticket.localId}/retry`, 'POST'), 1);

    api.sync(ticket.localId);
    await waitUntil(() => details(page)['Ticket ID'] === api.ticket(ticket.localId)!.id, 'no HubSpot ID');
    assert.isFalse(!!page.shadowRoot!.querySelector('[part~="sync-state"]'));
  });

  it('should poll while the ticket is being sent (without the stream), pick up its HubSpot ID, and stop while the page is hidden', async () => {
    TpTicketPage.pollInterval = 50;
    const ticket = makeDetail({ id: null, syncState: 'pending', messages: [] });
    const { page, api } = await openTicket(ticket, polling);
    const gets = () => api.callsTo(`tickets/${ticket.localId}`, 'GET').length;
    assert.strictEqual(details(page)['Ticket ID'], 'Sending…');
    await waitUntil(() => gets() >= 3, 'the page did not poll');

    // Hidden: no more calls. Visible again: it asks at once.
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      await new Promise((r) => setTimeout(r, 100));
      const whileHidden = gets();
      await new Promise((r) => setTimeout(r, 200));
      assert.strictEqual(gets(), whileHidden);
    } finally {
      delete (document as { hidden?: boolean }).hidden;
    }
    api.sync(ticket.localId);
    document.dispatchEvent(new Event('visibilitychange'));
    await waitUntil(() => /^\d+$/.test(details(page)['Ticket ID'] ?? ''), 'no HubSpot ID');
    const done = gets();
    await new Promise((r) => setTimeout(r, 200));
    assert.strictEqual(gets(), done, 'once nothing is pending it asks only every idlePollInterval (10 s)');
  });

  it('should keep the list row on screen and offer Retry when the ticket cannot be loaded', async () => {
    const ticket = makeDetail();
    const { portal, api } = await mountSignedIn({ setup: (api) => api.add(ticket) });
    const list = await view(portal, 'tp-ticket-list');
    await waitUntil(() =>
      list.shadowRoot!.querySelector('tp-ticket-table')?.shadowRoot?.querySelector('[part~="ticket-link"]'),
    );
    api.failures.push('offline');
    list
      .shadowRoot!.querySelector('tp-ticket-table')!
      .shadowRoot!.querySelector<HTMLElement>('[part~="ticket-link"]')!
      .click();
    const page = await view(portal, 'tp-ticket-page');
    await waitUntil(() => page.shadowRoot!.querySelector('[part~="alert"]'), 'no load problem shown');
    assert.strictEqual(textOf($(page, 'h3')), ticket.subject);
    assert.include(textOf($(page, '[part~="alert"]')), "We can't reach the portal right now.");
    button(page, 'Retry').click();
    await waitUntil(() => page.shadowRoot!.querySelector('.conversation'), 'Retry did not load the ticket');
    assert.isFalse(!!page.shadowRoot!.querySelector('[part~="alert"]'));
  });

  it('should say when a ticket does not exist or is not the customer’s', async () => {
    const { portal } = await mountSignedIn({ search: 'tp-ticket=424242' });
    const page = await view(portal, 'tp-ticket-page');
    await waitUntil(() => textOf(page.shadowRoot!.querySelector('h3')) === 'Ticket not found');
    assert.include(textOf($(page, '[part~="alert"]')), 'belongs to another account');
    await expect(page).to.be.accessible();
  });

  it('should go back to the list with its search and filters as they were', async () => {
    const ticket = makeDetail();
    const { portal } = await mountSignedIn({ search: 'tp-status=open', setup: (api) => api.add(ticket) });
    const list = await view(portal, 'tp-ticket-list');
    await waitUntil(() =>
      list.shadowRoot!.querySelector('tp-ticket-table')?.shadowRoot?.querySelector('[part~="ticket-link"]'),
    );
    const link = list
      .shadowRoot!.querySelector('tp-ticket-table')!
      .shadowRoot!.querySelector<HTMLElement>('[part~="ticket-link"]')!;
    link.focus();
    link.click();
    const page = await view(portal, 'tp-ticket-page');
    assert.deepEqual(tpParams(), { 'tp-status': 'open', 'tp-ticket': ticket.localId });
    // The list's row is drawn at once, before the ticket's own answer; keyboard users land on it.
    assert.strictEqual(textOf($(page, 'h3')), ticket.subject);
    await waitUntil(() => deepActiveElement() === $(page, 'h3'), 'focus did not move to the ticket');

    const back = $<HTMLAnchorElement>(page, '[part~="back"]');
    back.focus();
    back.click();
    await view(portal, 'tp-ticket-list');
    await waitUntil(() => !('tp-ticket' in tpParams()), 'the address still names the ticket');
    assert.deepEqual(tpParams(), { 'tp-status': 'open' });
    await waitUntil(
      () => deepActiveElement()?.id === 'tickets-heading',
      'focus did not come back to "Your tickets"',
    );
  });

  it("should keep a support author's long email inside the message bubble", async () => {
    const long = message({ from: 'support', html: '<p>Done.</p>' });
    long.author = { name: null, email: `${'a'.repeat(70)}@support.example.com` };
    const { page } = await openTicket(makeDetail({ messages: [long] }));
    page.style.width = '375px';
    const bubble = $(page, '[part~="message"]');
    const meta = bubble.querySelector<HTMLElement>('.message__meta')!;
    assert.isAtMost(meta.scrollWidth, meta.clientWidth, 'the author runs out of the bubble');
    assert.isAtMost(bubble.getBoundingClientRect().right, page.getBoundingClientRect().right + 0.5);
  });
});
