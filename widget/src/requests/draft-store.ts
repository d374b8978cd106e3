import type { NewRequest, UploadedAttachment } from '../api/api-types.js';
import { newIdempotencyKey, parseEmails } from './requests-api.js';

/** What the customer typed into the request form, kept until the request is accepted. */
export interface Draft {
  subject: string;
  description: string;
  priority: string;
  category: string;
  /**
   * Files uploaded for it (POST attachments): their ids go with the request. Kept with the draft so
   * a reload does not lose them (the API keeps unsent uploads for ATTACHMENTS_STAGED_TTL_HOURS).
   */
  attachments: UploadedAttachment[];
  /** Colleagues to put in copy, as typed (emails separated by commas). */
  cc: string;
  /** Idempotency-Key of this draft's submission; reused when the same submission is retried. */
  key: string;
  /** The body last sent with `key`: an edited draft gets a new key, a retried one the same. */
  sentBody: string | null;
}

/** A blank draft with a key of its own. */
export const emptyDraft = (): Draft => ({
  subject: '',
  description: '',
  priority: '',
  category: '',
  attachments: [],
  cc: '',
  key: newIdempotencyKey(),
  sentBody: null,
});

export const requestBody = (draft: Draft): NewRequest => ({
  subject: draft.subject.trim(),
  description: draft.description.trim(),
  ...(draft.priority ? { priority: draft.priority } : {}),
  ...(draft.category ? { category: draft.category } : {}),
  ...(draft.attachments.length > 0 ? { attachmentIds: draft.attachments.map((a) => a.id) } : {}),
  ...(parseEmails(draft.cc).length > 0 ? { cc: uniqueEmails(parseEmails(draft.cc)) } : {}),
});

/** Each address once (case-insensitively), as typed first. */
function uniqueEmails(emails: string[]): string[] {
  const seen = new Set<string>();
  return emails.filter((e) => {
    const key = e.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The draft in localStorage, one per API and customer, so it survives an accidental reload (or a
 * closed tab) and never shows up for another customer signed in on the same browser.
 */
export class DraftStore {
  private readonly storageKey: string;

  constructor(apiUrl: string, customerId: string) {
    this.storageKey = `tp-draft:${apiUrl}:${customerId}`;
  }

  /** The saved draft, or a fresh one (with its own key). */
  load(): { draft: Draft; restored: boolean } {
    try {
      const saved = JSON.parse(localStorage.getItem(this.storageKey) ?? 'null') as Partial<Draft> | null;
      if (saved && typeof saved.key === 'string' && saved.key) {
        const text = (v: unknown): string => (typeof v === 'string' ? v : '');
        const draft: Draft = {
          subject: text(saved.subject),
          description: text(saved.description),
          priority: text(saved.priority),
          category: text(saved.category),
          attachments: Array.isArray(saved.attachments) ? saved.attachments.filter(isUploaded) : [],
          cc: text(saved.cc),
          key: saved.key,
          sentBody: typeof saved.sentBody === 'string' ? saved.sentBody : null,
        };
        const restored = !!(draft.subject.trim() || draft.description.trim() || draft.attachments.length);
        return { draft, restored };
      }
    } catch {
      // Unreadable (private mode, quota, hand-edited): start afresh.
    }
    return { draft: emptyDraft(), restored: false };
  }

  save(draft: Draft): void {
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(draft));
    } catch {
      // Storage full or refused: the form still works, only without the reload safety net.
    }
  }

  clear(): void {
    try {
      localStorage.removeItem(this.storageKey);
    } catch {
      // see save()
    }
  }

  /**
   * The key to send with this body: the draft's own while the body is the one already sent with
   * it (a retry), a new one once the customer changed what they send (a new submission).
   */
  static keyFor(draft: Draft): Draft {
    const body = JSON.stringify(requestBody(draft));
    if (draft.sentBody === null || draft.sentBody === body) return { ...draft, sentBody: body };
    return { ...draft, key: newIdempotencyKey(), sentBody: body };
  }
}

function isUploaded(value: unknown): value is UploadedAttachment {
  const a = value as Partial<UploadedAttachment> | null;
  return (
    typeof a?.id === 'string' &&
    typeof a.name === 'string' &&
    typeof a.size === 'number' &&
    typeof a.contentType === 'string'
  );
}
