import {
  messageAttachmentIds,
  messageDirection,
  replyHeaders,
  sortConversation,
  toMessage,
} from './hubspot-message.mapper';
import { toAttachment } from './hubspot-file.mapper';
import emails from './__fixtures__/emails-batch-read.json';

function conversation() {
  return sortConversation(
    emails.results.map((raw) => toMessage(raw, '1145814089')).filter((m) => m !== null),
  );
}

describe('hubspot message mapper', () => {
  it('should keep customer and agent emails, oldest first', () => {
    expect(conversation().map((m) => [m.id, m.direction])).toEqual([
      ['9001', 'customer'],
      ['9003', 'agent'],
      ['9004', 'agent'],
    ]);
  });

  it('should leave out agent mail that failed and emails without a direction', () => {
    const ids = conversation().map((m) => m.id);

    expect(ids).not.toContain('9005');
    expect(ids).not.toContain('9006');
  });

  it('should read the author from hs_email_headers and the reply key the portal stored there', () => {
    const customer = conversation()[0]!;

    expect(customer).toEqual({
      id: '9001',
      ticketId: '1145814089',
      direction: 'customer',
      authorName: 'A B',
      authorEmail: 'cust@x.com',
      subject: 'Re: troubleshoot report',
      text: 'customer text',
      html: null,
      createdAt: new Date('2026-05-01T10:00:00.000Z'),
      requestKey: 'reply-1',
      attachments: [],
    });
  });

  it('should fall back to the hs_email_from_* properties and epoch-ms timestamps', () => {
    const forwarded = conversation()[2]!;

    expect(forwarded.authorName).toBe('Lee');
    expect(forwarded.authorEmail).toBe('lead@support.example');
    expect(forwarded.createdAt).toEqual(new Date(1777630000000));
    expect(forwarded.requestKey).toBeNull();
  });

  it('should keep the agent HTML untouched for the caller to sanitize', () => {
    expect(conversation()[1]!.html).toBe('<p>Could you send a <b>screenshot</b>?</p>');
  });

  it('should map directions as HubSpot names them', () => {
    expect(messageDirection('INCOMING_EMAIL')).toBe('customer');
    expect(messageDirection('EMAIL')).toBe('agent');
    expect(messageDirection('FORWARDED_EMAIL')).toBe('agent');
    expect(messageDirection('NOTE')).toBeNull();
    expect(messageDirection(undefined)).toBeNull();
  });

  it('should write headers that the mapper reads back', () => {
    const headers = replyHeaders({ email: 'a@b.com', firstName: 'A', lastName: null }, 'key-9');
    const message = toMessage(
      { id: '1', properties: { hs_email_direction: 'INCOMING_EMAIL', hs_email_headers: headers } },
      't',
    );

    expect(message?.requestKey).toBe('key-9');
    expect(message?.authorEmail).toBe('a@b.com');
    expect(message?.authorName).toBe('A');
  });

  it('should list the attached files it was told about, in hs_attachment_ids order, without deleted ones', () => {
    const raw = {
      id: '9100',
      properties: {
        hs_timestamp: '2026-05-01T10:00:00.000Z',
        hs_email_direction: 'INCOMING_EMAIL',
        hs_attachment_ids: '301; 302;303;301',
      },
    };
    const files = new Map(
      [
        { id: '302', name: 'usage', extension: 'csv', size: 14 },
        { id: '301', name: 'statement', extension: 'pdf', size: 2048 },
      ].map((f) => [f.id, toAttachment(f)]),
    );

    expect(messageAttachmentIds(raw)).toEqual(['301', '302', '303']);
    expect(toMessage(raw, 't', files)?.attachments).toEqual([
      { fileId: '301', name: 'statement.pdf', contentType: 'application/pdf', size: 2048 },
      { fileId: '302', name: 'usage.csv', contentType: 'text/csv', size: 14 },
    ]);
  });

  it('should not look up files of emails a customer never sees', () => {
    expect(messageAttachmentIds({ id: '1', properties: { hs_attachment_ids: '5' } })).toEqual([]);
  });
});
