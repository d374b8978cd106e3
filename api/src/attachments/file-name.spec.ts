import { extensionOf, sanitizeFileName } from './file-name';

describe(sanitizeFileName.name, () => {
  it('should keep an ordinary name as it is', () => {
    expect(sanitizeFileName('Statement May 2026.pdf')).toBe('Statement May 2026.pdf');
    expect(sanitizeFileName('Überweisung – März.xlsx')).toBe('Überweisung – März.xlsx');
  });

  it('should keep only the last path segment when a browser or a client sends a path', () => {
    expect(sanitizeFileName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
  });

  it('should drop control and direction-changing characters that disguise an extension', () => {
    expect(sanitizeFileName('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('a\u0000b\r\nc.txt')).toBe('abc.txt');
  });

  it('should replace reserved characters and trim dots and spaces', () => {
    expect(sanitizeFileName(' <a>:"b"|c?*; .png. ')).toBe('_a___b__c___ .png');
    expect(sanitizeFileName('.env')).toBe('env');
    expect(sanitizeFileName('CON.txt')).toBe('_CON.txt');
  });

  it('should fall back to a name from the media type when nothing is left', () => {
    expect(sanitizeFileName('..', 'image/png')).toBe('file.png');
    expect(sanitizeFileName(undefined)).toBe('file');
    expect(sanitizeFileName('///', 'application/pdf')).toBe('file.pdf');
  });

  it('should shorten a long name and keep its extension', () => {
    const name = sanitizeFileName(`${'a'.repeat(300)}.docx`);
    expect([...name]).toHaveLength(180);
    expect(name.endsWith('a.docx')).toBe(true);
  });
});

describe(extensionOf.name, () => {
  it('should answer the last extension in lower case, or nothing', () => {
    expect(extensionOf('a.TAR.GZ')).toBe('gz');
    expect(extensionOf('README')).toBe('');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('dot.')).toBe('');
  });
});
