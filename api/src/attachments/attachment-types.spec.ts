import { DEFAULT_ATTACHMENT_TYPES } from '../config/app-config';
import {
  decideType,
  extensionsOf,
  isAllowed,
  isInlineImage,
  normalizeMediaType,
  readsAsText,
} from './attachment-types';

const allowed = [...DEFAULT_ATTACHMENT_TYPES];
const png = { mime: 'image/png', ext: 'png' };
const pdf = { mime: 'application/pdf', ext: 'pdf' };
const text = (s: string) => Buffer.from(s);

describe(decideType.name, () => {
  it('should take a file whose name, declared type and content agree', () => {
    expect(
      decideType({ name: 'a.png', declared: 'image/png', detected: png, head: Buffer.alloc(8) }, allowed),
    ).toEqual({
      ok: true,
      contentType: 'image/png',
    });
  });

  it('should go by the content when the browser declared nothing useful', () => {
    const verdict = decideType(
      { name: 'scan.pdf', declared: 'application/octet-stream', detected: pdf, head: Buffer.alloc(8) },
      allowed,
    );
    expect(verdict).toEqual({ ok: true, contentType: 'application/pdf' });
  });

  it('should refuse content that is not what the declared type or the name says', () => {
    const declared = decideType(
      { name: 'photo.png', declared: 'image/png', detected: pdf, head: Buffer.alloc(8) },
      allowed,
    );
    expect(declared).toEqual({
      ok: false,
      reason: expect.stringMatching(/sent as a PNG image, but its content is a PDF document/),
    });
    const named = decideType(
      { name: 'photo.png', declared: null, detected: pdf, head: Buffer.alloc(8) },
      allowed,
    );
    expect(named).toEqual({ ok: false, reason: expect.stringMatching(/named as a PNG image/) });
  });

  it("should take office documents the sniffer sees only as zip or OLE containers, by the name's type", () => {
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(
      decideType(
        {
          name: 'a.docx',
          declared: docx,
          detected: { mime: 'application/zip', ext: 'zip' },
          head: Buffer.alloc(8),
        },
        allowed,
      ),
    ).toEqual({ ok: true, contentType: docx });
    expect(
      decideType(
        {
          name: 'a.xls',
          declared: null,
          detected: { mime: 'application/x-cfb', ext: 'cfb' },
          head: Buffer.alloc(8),
        },
        allowed,
      ),
    ).toEqual({ ok: true, contentType: 'application/vnd.ms-excel' });
  });

  it('should take text without magic bytes as the text format its name says, also when Windows calls a CSV an Excel file', () => {
    expect(
      decideType(
        {
          name: 'a.csv',
          declared: 'application/vnd.ms-excel',
          detected: undefined,
          head: text('a,b\n1,2\n'),
        },
        allowed,
      ),
    ).toEqual({ ok: true, contentType: 'text/csv' });
    expect(
      decideType(
        { name: 'server.log', declared: 'text/x-log', detected: undefined, head: text('started\n') },
        allowed,
      ),
    ).toEqual({ ok: true, contentType: 'text/plain' });
    expect(
      decideType({ name: 'notes', declared: null, detected: undefined, head: text('hello\n') }, allowed),
    ).toEqual({ ok: true, contentType: 'text/plain' });
  });

  it('should refuse HTML and SVG even when sent as text, and binary it cannot recognise', () => {
    for (const head of [
      '<!doctype html><p>x',
      '  <html>',
      '<?xml version="1.0"?>\n<svg xmlns="x">',
      'hello <script>alert(1)</script>',
    ]) {
      const verdict = decideType(
        { name: 'notes.txt', declared: 'text/plain', detected: undefined, head: text(head) },
        allowed,
      );
      expect(verdict).toEqual({
        ok: false,
        reason: expect.stringMatching(/(HTML page|SVG image), which cannot be attached/),
      });
    }
    const binary = decideType(
      { name: 'a.pdf', declared: 'application/pdf', detected: undefined, head: Buffer.from([0, 1, 2, 3]) },
      allowed,
    );
    expect(binary).toEqual({ ok: false, reason: expect.stringMatching(/does not look like a PDF document/) });
  });

  it('should allow what an operator lists, by exact type or family, but never a dangerous type by family', () => {
    expect(
      decideType({ name: 'a.pdf', declared: null, detected: pdf, head: Buffer.alloc(8) }, ['image/*']),
    ).toEqual({ ok: false, reason: expect.stringMatching(/Files you can attach: any image\./) });
    expect(isAllowed('image/bmp', ['image/*'])).toBe(true);
    expect(isAllowed('image/svg+xml', ['image/*'])).toBe(false);
    expect(isAllowed('image/svg+xml', ['image/svg+xml'])).toBe(true);
    expect(isAllowed('text/html', ['text/*'])).toBe(false);
  });
});

describe(normalizeMediaType.name, () => {
  it('should drop parameters and case, map aliases, and treat generic types as unknown', () => {
    expect(normalizeMediaType('Text/CSV; charset=UTF-8')).toBe('text/csv');
    expect(normalizeMediaType('image/jpg')).toBe('image/jpeg');
    expect(normalizeMediaType('application/octet-stream')).toBeNull();
    expect(normalizeMediaType('')).toBeNull();
    expect(normalizeMediaType('not a type')).toBeNull();
  });
});

describe(readsAsText.name, () => {
  it('should tell text from binary', () => {
    expect(readsAsText(text('plain\ttext\r\n'))).toBe(true);
    expect(readsAsText(text('Grüße'))).toBe(true);
    expect(readsAsText(Buffer.from([0x68, 0x00, 0x69]))).toBe(false);
    expect(readsAsText(Buffer.alloc(0))).toBe(false);
  });
});

describe(isInlineImage.name, () => {
  it('should show raster images inline and nothing else', () => {
    expect(['image/png', 'image/jpeg', 'image/gif', 'image/webp'].every(isInlineImage)).toBe(true);
    expect(isInlineImage('image/svg+xml')).toBe(false);
    expect(isInlineImage('application/pdf')).toBe(false);
  });
});

describe(extensionsOf.name, () => {
  it("should list the exact types' extensions for a picker, and none for a family", () => {
    const extensions = extensionsOf(allowed);
    expect(extensions).toEqual(
      expect.arrayContaining(['png', 'jpg', 'jpeg', 'pdf', 'txt', 'log', 'csv', 'docx']),
    );
    expect(extensions).not.toContain('svg');
    expect(extensionsOf(['image/*', 'application/pdf'])).toEqual(['pdf']);
  });
});
