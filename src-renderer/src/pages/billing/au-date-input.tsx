// A date box in en-AU form (dd/mm/yyyy) whatever the browser's locale: a plain <input type=date>
// shows mm/dd/yyyy in a US-locale chromium. The value stays an ISO 'YYYY-MM-DD' string ('' = none).
import { DateInput, DatesProvider, type DateInputProps } from '@mantine/dates';
import 'dayjs/locale/en-au';

/** '5/1/2027' or '05/01/2027' → '2027-01-05'; null when it is not a real date. */
export function parseAuDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export function AuDateInput({
  value,
  onChange,
  ...rest
}: Omit<DateInputProps, 'value' | 'onChange' | 'valueFormat' | 'dateParser'> & {
  value: string;
  onChange: (iso: string) => void;
}) {
  return (
    <DatesProvider settings={{ locale: 'en-au', firstDayOfWeek: 1 }}>
      <DateInput
        placeholder="dd/mm/yyyy"
        {...rest}
        valueFormat="DD/MM/YYYY"
        dateParser={parseAuDate}
        value={value || null}
        onChange={(v) => onChange(v ?? '')}
      />
    </DatesProvider>
  );
}
