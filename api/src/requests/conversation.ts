import type { MessageRow } from '../repositories/ticket-messages.repository';

// A ticket created from a customer's email has that email's text as its description and the email
// itself as the first message of its conversation: the ticket page would show the same words twice.

const normalise = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * Whether `first`, the oldest message of a conversation, only repeats the ticket's description: the
 * customer's, with text (plain or as shown) that equals the description or is its beginning (HubSpot
 * may cut a long description differently), whitespace aside. A message that says more stays.
 */
export function repeatsDescription(
  first: Pick<MessageRow, 'direction' | 'text' | 'shown_text'>,
  description: string | null,
): boolean {
  if (first.direction !== 'customer') return false;
  const described = normalise(description);
  if (described === '') return false;
  return [first.text, first.shown_text].some((text) => {
    const said = normalise(text);
    return said !== '' && described.startsWith(said);
  });
}

/**
 * The conversation as the ticket page shows it: without a first message that repeats the description
 * (unless `keep` says otherwise, e.g. it carries files).
 */
export function shownConversation<T extends Pick<MessageRow, 'direction' | 'text' | 'shown_text'>>(
  messages: readonly T[],
  description: string | null,
  keep: (message: T) => boolean = () => false,
): T[] {
  const [first, ...rest] = messages;
  return first && !keep(first) && repeatsDescription(first, description) ? rest : [...messages];
}
