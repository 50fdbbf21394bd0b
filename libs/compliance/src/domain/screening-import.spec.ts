import {
  checkImportRows,
  ImportFormatError,
  MAX_IMPORT_ROWS,
  parseScreeningCsv,
  parseScreeningJson,
  resolveImportList,
} from './screening-import';

const A = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';
const B = 'TPL66VK2gCXNCD7EJg9pgJRfqcRazjhUZY';

describe('screening CSV parsing', () => {
  it('reads address,reason rows without a header, numbering rows by line', () => {
    expect(parseScreeningCsv(`${A},sanctioned\n${B}\n`)).toEqual([
      { row: 1, address: A, reason: 'sanctioned' },
      { row: 2, address: B },
    ]);
  });

  it('recognises a header, in either column order, and CRLF line ends', () => {
    expect(parseScreeningCsv(`reason,address\r\nmixer,${A}\r\n`)).toEqual([
      { row: 2, address: A, reason: 'mixer' },
    ]);
    expect(parseScreeningCsv(`\uFEFFAddress,Reason\n${A},x`)).toEqual([{ row: 2, address: A, reason: 'x' }]);
  });

  it('handles quoted fields with commas, doubled quotes and line breaks', () => {
    const csv = `address,reason\n${A},"OFAC, SDN ""mixer""\nsecond line"\n${B},plain\n`;
    expect(parseScreeningCsv(csv)).toEqual([
      { row: 2, address: A, reason: 'OFAC, SDN "mixer"\nsecond line' },
      { row: 4, address: B, reason: 'plain' },
    ]);
  });

  it('skips blank lines and # comments, trims blanks', () => {
    expect(parseScreeningCsv(`# exported 2026-11-25\n\n  ${A} ,  note  \n   \n`)).toEqual([
      { row: 3, address: A, reason: 'note' },
    ]);
  });

  it('flags a row with too many columns', () => {
    expect(parseScreeningCsv(`${A},a,b`)).toEqual([
      { row: 1, address: A, reason: 'a', problem: 'expected at most 2 columns' },
    ]);
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseScreeningCsv(`${A},"open`)).toThrow(ImportFormatError);
  });
});

describe('screening JSON import parsing', () => {
  it('numbers entries from 1 and flags malformed ones per row', () => {
    expect(
      parseScreeningJson({ entries: [{ address: A, reason: 'r' }, 'oops', { address: B, extra: 1 }] }),
    ).toEqual([
      { row: 1, address: A, reason: 'r' },
      { row: 2, address: undefined, problem: 'must be an object { address, reason? }' },
      { row: 3, address: B, reason: undefined, problem: 'unknown field extra' },
    ]);
  });

  it('needs an entries array', () => {
    expect(() => parseScreeningJson({ entries: 'x' })).toThrow(ImportFormatError);
  });

  it('takes the list from the body or the query, and refuses a disagreement', () => {
    expect(resolveImportList('block', undefined)).toBe('block');
    expect(resolveImportList(undefined, 'allow')).toBe('allow');
    expect(resolveImportList('allow', 'allow')).toBe('allow');
    expect(() => resolveImportList('block', 'allow')).toThrow(ImportFormatError);
    expect(() => resolveImportList(undefined, undefined)).toThrow(ImportFormatError);
    expect(() => resolveImportList('grey', undefined)).toThrow(ImportFormatError);
  });
});

describe('import row checks', () => {
  it('accepts valid rows and reports each invalid one with its row number', () => {
    const result = checkImportRows([
      { row: 1, address: A, reason: 'r' },
      { row: 2, address: 'T-not-an-address' },
      { row: 3, address: A.toLowerCase() },
      { row: 4, address: B, reason: 'x'.repeat(501) },
      { row: 5, address: A },
      { row: 6, address: B, reason: ' ' },
      { row: 7, address: B, problem: 'expected at most 2 columns' },
    ]);
    expect(result.accepted).toEqual([
      { row: 1, address: A, reason: 'r' },
      { row: 6, address: B },
    ]);
    expect(result.invalid).toEqual([
      { row: 2, address: 'T-not-an-address', message: expect.stringContaining('TRON address') },
      { row: 3, address: A.toLowerCase(), message: expect.stringContaining('TRON address') },
      { row: 4, address: B, message: expect.stringContaining('500') },
      { row: 5, address: A, message: 'duplicate of row 1' },
      { row: 7, address: B, message: 'expected at most 2 columns' },
    ]);
  });

  it('refuses an empty import and one above the row cap', () => {
    expect(() => checkImportRows([])).toThrow(ImportFormatError);
    const many = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => ({ row: i + 1, address: A }));
    expect(() => checkImportRows(many)).toThrow(/at most/);
  });
});
