// Reading a CSV file the user chose. Excel's "CSV UTF-8" is UTF-8, but its plain "CSV (Comma
// delimited)" on Windows is Windows-1252, where é, ’ and – are single bytes UTF-8 cannot read:
// File.text() turns each into "�" and the names would be imported mangled. So: UTF-8 when the
// bytes are valid UTF-8 (a BOM is dropped), else Windows-1252.
export async function readCsvFile(file: Blob): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
