import type { InvoiceDocument } from '../../../src-shared/billing/invoice-document';

// The logo as the data URL react-pdf takes, by content hash: built once per logo, and the same
// string each time lets react-pdf's own image cache skip decoding it again.
const logoUrls = new Map<string, string>();
export function logoUrlOf(doc: InvoiceDocument, logo: { contentType: string; content: Buffer }) {
  const key = doc.issuer.logoSha;
  const known = key ? logoUrls.get(key) : undefined;
  if (known) return known;
  const url = `data:${logo.contentType};base64,${logo.content.toString('base64')}`;
  if (key) {
    if (logoUrls.size >= 8) logoUrls.clear();
    logoUrls.set(key, url);
  }
  return url;
}
