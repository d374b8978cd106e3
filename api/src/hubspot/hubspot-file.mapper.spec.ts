import { attachmentIds, contentTypeFor, fileName, toAttachment, toHsFile } from './hubspot-file.mapper';

describe('hubspot file mapper', () => {
  it('should join HubSpot’s name and extension once, whatever form the extension takes', () => {
    expect(fileName({ id: '1', name: 'statement', extension: 'pdf' })).toBe('statement.pdf');
    expect(fileName({ id: '1', name: 'statement', extension: '.pdf' })).toBe('statement.pdf');
    expect(fileName({ id: '1', name: 'statement.pdf', extension: 'pdf' })).toBe('statement.pdf');
    expect(fileName({ id: '1', name: 'README', extension: '' })).toBe('README');
    expect(fileName({ id: '7', name: null, extension: null })).toBe('file-7');
  });

  it('should derive the media type from the extension, octet-stream when unknown', () => {
    expect(contentTypeFor('a.png')).toBe('image/png');
    expect(contentTypeFor('a.unknownext')).toBe('application/octet-stream');
  });

  it('should map a file and an attachment with a null size when HubSpot gives none', () => {
    expect(toAttachment({ id: '9', name: 'x', extension: 'txt' })).toEqual({
      fileId: '9',
      name: 'x.txt',
      contentType: 'text/plain',
      size: null,
    });
    expect(toHsFile({ id: '9', name: 'x', extension: 'txt', size: 3, access: 'PRIVATE' })).toEqual({
      id: '9',
      name: 'x.txt',
      size: 3,
      access: 'PRIVATE',
    });
  });

  it('should read hs_attachment_ids leniently: blanks, spaces, repeats and junk dropped', () => {
    expect(attachmentIds(' 1;;2 ;abc;1 ')).toEqual(['1', '2']);
    expect(attachmentIds(null)).toEqual([]);
  });
});
