// The invoice PDF's look: the font family, react-pdf styles, the session table's columns and
// the A4 page, shared by the react-pdf blocks (./invoice-blocks.ts) and the session table drawn
// with pdfkit (./session-table.ts), which must print the same columns in the same places.
import { StyleSheet } from '@react-pdf/renderer';

export const FAMILY = 'Liberation Sans';

export const A4 = { width: 595.28, height: 841.89 };

export const s = StyleSheet.create({
  page: {
    fontFamily: FAMILY,
    fontSize: 8.5,
    paddingTop: 112,
    paddingBottom: 56,
    paddingHorizontal: 36,
    color: '#222',
  },
  header: {
    position: 'absolute',
    top: 24,
    left: 36,
    right: 36,
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingBottom: 8,
    borderBottomWidth: 2,
  },
  logo: { maxWidth: 120, maxHeight: 56, objectFit: 'contain', marginRight: 10 },
  issuerName: { fontSize: 12, fontWeight: 'bold' },
  title: { fontSize: 18, fontWeight: 'bold', textAlign: 'right' },
  right: { textAlign: 'right' },
  muted: { color: '#555' },
  small: { fontSize: 7.5 },
  row: { flexDirection: 'row' },
  blocks: { flexDirection: 'row', justifyContent: 'space-between', marginBottom: 12 },
  block: { width: '48%' },
  blockTitle: { fontWeight: 'bold', marginBottom: 2, fontSize: 9 },
  section: { fontSize: 10, fontWeight: 'bold', marginTop: 10, marginBottom: 4 },
  th: { fontWeight: 'bold', color: '#fff', paddingVertical: 3, paddingHorizontal: 2 },
  td: { paddingVertical: 2, paddingHorizontal: 2 },
  line: { flexDirection: 'row', borderBottomWidth: 0.5, borderBottomColor: '#ccc' },
  totals: { marginTop: 8, marginLeft: 'auto', width: 220 },
  totalRow: { flexDirection: 'row', justifyContent: 'space-between', paddingVertical: 2 },
  grand: { fontSize: 11, fontWeight: 'bold', borderTopWidth: 1, paddingTop: 3 },
  pay: { marginTop: 12, padding: 8, borderWidth: 1 },
  footer: {
    position: 'absolute',
    bottom: 20,
    left: 36,
    right: 36,
    flexDirection: 'row',
    justifyContent: 'space-between',
    fontSize: 7.5,
    color: '#555',
    borderTopWidth: 0.5,
    borderTopColor: '#999',
    paddingTop: 4,
  },
});

/** The session table's columns: heading, share of the row, right-aligned or not. */
export const COLS = [
  { key: 'date', label: 'Date', w: '11%' },
  { key: 'charger', label: 'Charger / bay', w: '25%' },
  { key: 'start', label: 'Meter start', w: '9%', right: true },
  { key: 'end', label: 'Meter end', w: '9%', right: true },
  { key: 'kwh', label: 'kWh', w: '7%', right: true },
  { key: 'rate', label: 'Rate', w: '27%' },
  { key: 'amount', label: 'Amount ex GST', w: '12%', right: true },
] as const;
