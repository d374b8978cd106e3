import { repeatsDescription, shownConversation } from './conversation';

const message = (direction: string, text: string | null, shown_text: string | null = null) => ({
  direction,
  text,
  shown_text,
});

describe(repeatsDescription.name, () => {
  it("should see the customer's first email repeated as the description, whitespace aside", () => {
    expect(
      repeatsDescription(
        message('customer', 'Login fails\n\nafter the update.'),
        'Login fails after the update.',
      ),
    ).toBe(true);
    // HubSpot's description may hold more than the email's plain text (a cut, a signature).
    expect(repeatsDescription(message('customer', 'Login fails'), 'Login fails after the update.')).toBe(
      true,
    );
    expect(repeatsDescription(message('customer', null, 'Login fails.'), 'Login fails.')).toBe(true);
  });

  it('should keep a message that says more, one from support, and any message when there is no description', () => {
    expect(repeatsDescription(message('customer', 'Login fails. Also the export.'), 'Login fails.')).toBe(
      false,
    );
    expect(repeatsDescription(message('agent', 'Login fails.'), 'Login fails.')).toBe(false);
    expect(repeatsDescription(message('customer', 'Login fails.'), null)).toBe(false);
    expect(repeatsDescription(message('customer', '  '), 'Login fails.')).toBe(false);
  });
});

describe(shownConversation.name, () => {
  it('should drop only a first message that repeats the description', () => {
    const first = message('customer', 'Login fails.');
    const again = message('customer', 'Login fails.');
    expect(shownConversation([first, again], 'Login fails.')).toEqual([again]);
    expect(shownConversation([message('agent', 'Hi'), first], 'Login fails.')).toHaveLength(2);
    expect(shownConversation([], 'Login fails.')).toEqual([]);
  });
});
