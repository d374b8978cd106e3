import { eventKey, parseWebhookBody, planWebhookWork } from './webhook-event';

describe('parseWebhookBody', () => {
  it('should name the field to fix when the body is not an array of events', () => {
    expect(parseWebhookBody({}).problems[0]).toMatch(/JSON array/);
    expect(parseWebhookBody([{ eventId: 1, occurredAt: 1 }]).problems[0]).toMatch(/subscriptionType/);
    expect(
      parseWebhookBody([{ eventId: 'x', subscriptionType: 'ticket.creation', occurredAt: 1 }]).problems[0],
    ).toMatch(/eventId/);
  });

  it('should accept HubSpot events with either subscriptionType or eventType', () => {
    const { events, problems } = parseWebhookBody([
      { eventId: 1, subscriptionType: 'ticket.creation', objectId: 5, occurredAt: 10 },
      { eventId: 2, eventType: 'ticket.deletion', objectId: '6', occurredAt: 11 },
    ]);
    expect(problems).toEqual([]);
    expect(events.map((e) => [e.subscriptionType, e.objectId])).toEqual([
      ['ticket.creation', '5'],
      ['ticket.deletion', '6'],
    ]);
  });
});

describe('planWebhookWork', () => {
  const parse = (body: unknown[]) => parseWebhookBody(body).events;

  it('should refresh every ticket an event names, keeping the oldest event time per ticket', () => {
    const work = planWebhookWork(
      parse([
        {
          eventId: 1,
          subscriptionType: 'ticket.propertyChange',
          objectId: 5,
          propertyName: 'hubspot_owner_id',
          occurredAt: 20,
        },
        {
          eventId: 2,
          subscriptionType: 'ticket.propertyChange',
          objectId: 5,
          propertyName: 'hs_pipeline_stage',
          occurredAt: 10,
        },
        { eventId: 3, subscriptionType: 'ticket.deletion', objectId: 6, occurredAt: 30 },
        {
          eventId: 4,
          subscriptionType: 'ticket.associationChange',
          associationType: 'TICKET_TO_CONTACT',
          fromObjectId: 7,
          toObjectId: 900,
          occurredAt: 40,
        },
        {
          eventId: 5,
          subscriptionType: 'ticket.merge',
          objectId: 8,
          primaryObjectId: 8,
          mergedObjectIds: [9],
          occurredAt: 50,
        },
        { eventId: 6, subscriptionType: 'conversation.newMessage', objectId: 1, occurredAt: 60 },
      ]),
    );
    expect([...work.dirty.tickets]).toEqual([
      ['5', 10],
      ['6', 30],
      ['7', 40],
      ['8', 50],
      ['9', 50],
    ]);
    expect(work.dirty.contacts.size).toBe(0);
    expect(work.ignored).toBe(1);
  });

  it('should refresh the conversation when an email is associated with a ticket', () => {
    const work = planWebhookWork(
      parse([
        {
          eventId: 1,
          subscriptionType: 'ticket.associationChange',
          associationType: 'TICKET_TO_EMAIL',
          fromObjectId: 7,
          toObjectId: 1234,
          occurredAt: 1,
        },
      ]),
    );
    expect([...work.conversations]).toEqual(['7']);
  });

  it('should refresh contacts and companies from their own events', () => {
    const work = planWebhookWork(
      parse([
        {
          eventId: 1,
          subscriptionType: 'contact.propertyChange',
          objectId: 11,
          propertyName: 'firstname',
          occurredAt: 1,
        },
        {
          eventId: 2,
          subscriptionType: 'company.propertyChange',
          objectId: 12,
          propertyName: 'name',
          occurredAt: 1,
        },
        {
          eventId: 3,
          subscriptionType: 'contact.associationChange',
          associationType: 'CONTACT_TO_COMPANY',
          fromObjectId: 13,
          toObjectId: 12,
          occurredAt: 1,
        },
      ]),
    );
    expect([...work.dirty.contacts.keys()].sort()).toEqual(['11', '13']);
    expect([...work.dirty.companies.keys()]).toEqual(['12']);
  });

  it('should re-read the contact when its company changes, whichever side HubSpot reports', () => {
    const work = planWebhookWork(
      parse([
        {
          eventId: 1,
          subscriptionType: 'company.associationChange',
          associationType: 'COMPANY_TO_CONTACT',
          fromObjectId: 21,
          toObjectId: 22,
          associationRemoved: true,
          occurredAt: 1,
        },
        {
          eventId: 2,
          subscriptionType: 'contact.associationChange',
          associationType: 'CONTACT_TO_COMPANY',
          fromObjectId: 23,
          toObjectId: 21,
          isPrimaryAssociation: true,
          occurredAt: 1,
        },
      ]),
    );
    expect([...work.dirty.contacts.keys()].sort()).toEqual(['22', '23']);
  });

  it('should not re-read a contact for associations that change nothing mirrored on it', () => {
    const work = planWebhookWork(
      parse([
        {
          eventId: 1,
          subscriptionType: 'contact.associationChange',
          associationType: 'CONTACT_TO_TICKET',
          fromObjectId: 31,
          toObjectId: 32,
          occurredAt: 1,
        },
        {
          eventId: 2,
          subscriptionType: 'contact.associationChange',
          associationType: 'CONTACT_TO_EMAIL',
          fromObjectId: 31,
          toObjectId: 33,
          occurredAt: 1,
        },
      ]),
    );
    expect(work.dirty.contacts.size).toBe(0);
    expect([...work.dirty.tickets.keys()]).toEqual(['32']);
  });

  it('should re-read deleted and merged contacts (they read as absent and are forgotten)', () => {
    const work = planWebhookWork(
      parse([
        { eventId: 1, subscriptionType: 'contact.deletion', objectId: 41, occurredAt: 1 },
        { eventId: 2, subscriptionType: 'contact.privacyDeletion', objectId: 42, occurredAt: 1 },
        {
          eventId: 3,
          subscriptionType: 'contact.merge',
          objectId: 43,
          primaryObjectId: 43,
          mergedObjectIds: [44],
          newObjectId: 43,
          occurredAt: 1,
        },
      ]),
    );
    expect([...work.dirty.contacts.keys()].sort()).toEqual(['41', '42', '43', '44']);
  });

  it('should give the same key to a redelivered event and different keys to different objects', () => {
    const [a, b, c] = parse([
      { eventId: 1, subscriptionType: 'ticket.creation', objectId: 5, occurredAt: 1, attemptNumber: 0 },
      { eventId: 1, subscriptionType: 'ticket.creation', objectId: 5, occurredAt: 1, attemptNumber: 1 },
      { eventId: 1, subscriptionType: 'ticket.creation', objectId: 6, occurredAt: 1 },
    ]);
    expect(eventKey(a!)).toBe(eventKey(b!));
    expect(eventKey(a!)).not.toBe(eventKey(c!));
  });

  it('should not take a reused eventId from another time for a redelivery', () => {
    const [a, b] = parse([
      { eventId: 1, subscriptionType: 'ticket.propertyChange', objectId: 5, occurredAt: 1000 },
      { eventId: 1, subscriptionType: 'ticket.propertyChange', objectId: 5, occurredAt: 2000 },
    ]);
    expect(eventKey(a!)).not.toBe(eventKey(b!));
  });
});
