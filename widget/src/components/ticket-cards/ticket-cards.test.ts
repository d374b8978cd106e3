import { assert, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { makeTickets } from '../../../test/fake-api.js';
import { $, $$, textOf } from '../../../test/shadow.js';
import type { TpTicketOpenEvent } from '../../events/ticket-events.js';
import type { TicketCards } from './ticket-cards.component.js';
import './ticket-cards.js';

describe('TicketCards', () => {
  it('should show each ticket as a card with the columns of the table, titled at the given level', async () => {
    const [ticket] = makeTickets(1);
    const cards = await fixture<TicketCards>(
      html`<tp-ticket-cards .tickets=${[ticket!]} locale="en-GB" heading-level="3"></tp-ticket-cards>`,
    );
    const card = $(cards, '[part="card"]');
    assert.strictEqual(card.dataset.ticket, ticket!.id);
    assert.strictEqual($(cards, '.card__title').getAttribute('aria-level'), '3');
    assert.deepEqual(
      $$(cards, 'dt').map((dt) => textOf(dt)),
      ['Ticket ID', 'Status', 'Created', 'Ticket Owner', 'Last Activity', 'Requested By'],
    );
    assert.strictEqual($(cards, '[part="cards"]').getAttribute('aria-busy'), 'false');
    await expect(cards).to.be.accessible();
  });

  it('should show placeholder cards, marked busy, while the first page loads', async () => {
    const cards = await fixture<TicketCards>(html`<tp-ticket-cards loading></tp-ticket-cards>`);
    assert.lengthOf($$(cards, '[part~="skeleton"]'), 4);
    assert.strictEqual($(cards, '[part="cards"]').getAttribute('aria-busy'), 'true');
  });

  it('should open a ticket from its title', async () => {
    const [ticket] = makeTickets(1);
    const cards = await fixture<TicketCards>(html`<tp-ticket-cards .tickets=${[ticket!]}></tp-ticket-cards>`);
    const opened = oneEvent<TpTicketOpenEvent>(cards, 'tp-ticket-open');
    $(cards, '[part="ticket-link"]').click();
    assert.deepEqual((await opened).detail.ticket, ticket);
  });
});
