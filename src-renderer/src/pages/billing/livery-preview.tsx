// A live preview of a sample invoice in the livery being edited (not yet saved): the issuer's
// logo, name, ABN, address and contact in the brand colour, the title ("Tax invoice", or
// "Invoice" without a GST line when the issuer is not registered), the sessions table's header in
// the brand colour, the payment box in the accent colour, and the footer text, laid out like the
// PDF (billing/pdf). It is always on white paper, as the printed invoice is. "Sample invoice
// (PDF)" renders the real thing from the saved settings.
import { Box, Group, Paper, Stack, Text } from '@mantine/core';
import type { BillingSettings } from '../../../../src-shared/billing/settings';
import { formatAbn } from '../../../../src-shared/billing/invoice-document';

const INK = '#222';
const DIM = '#666';

/** A colour the preview can paint: the setting when it is a hex colour, else the default. */
const colour = (value: string, fallback: string) =>
  /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(value) ? value : fallback;

export function LiveryPreview({
  s,
  logo,
}: {
  s: BillingSettings;
  /** The stored logo as a data: URL; 'loading' while it is fetched; null when there is none. */
  logo: string | 'loading' | null;
}) {
  const primary = colour(s.primaryColour, '#1c4e80');
  const accent = colour(s.accentColour, '#0091d5');
  const name = s.issuerName?.trim() || 'Your strata company';
  const contact = [s.contactPhone, s.contactEmail].filter(Boolean).join(' · ');
  const small = { fontSize: 10, lineHeight: 1.35 } as const;
  return (
    <Paper
      withBorder
      shadow="xs"
      p="md"
      bg="white"
      c={INK}
      aria-label="Live preview of a sample invoice"
      role="figure"
      style={{ fontFamily: 'Liberation Sans, Arial, sans-serif' }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="sm" align="flex-start" wrap="nowrap">
          {logo === 'loading' ? (
            <Box
              w={56}
              h={40}
              style={{ border: `1px dashed ${DIM}`, display: 'grid', placeItems: 'center' }}
            >
              <Text style={{ fontSize: 8 }} c={DIM}>
                logo…
              </Text>
            </Box>
          ) : logo ? (
            <img
              src={logo}
              alt="Logo"
              style={{ maxWidth: 72, maxHeight: 44, objectFit: 'contain' }}
            />
          ) : null}
          <Stack gap={0}>
            <Text fw={700} style={{ fontSize: 14 }} c={primary} data-testid="preview-issuer">
              {name}
            </Text>
            {s.issuerAbn ? <Text style={small}>ABN {formatAbn(s.issuerAbn)}</Text> : null}
            {s.issuerAddress ? (
              <Text style={small} c={DIM}>
                {s.issuerAddress}
              </Text>
            ) : null}
            {contact ? (
              <Text style={small} c={DIM}>
                {contact}
              </Text>
            ) : null}
          </Stack>
        </Group>
        <Stack gap={0} align="flex-end">
          <Text fw={700} style={{ fontSize: 18, whiteSpace: 'nowrap' }} c={primary}>
            {s.gstRegistered ? 'Tax invoice' : 'Invoice'}
          </Text>
          <Text style={small}>No. EV-00042</Text>
        </Stack>
      </Group>
      <Box mt={6} mb="sm" h={2} bg={primary} />
      <Text style={small} fw={700}>
        Charging sessions (1, 8.000 kWh)
      </Text>
      <Box mt={4}>
        <Group
          justify="space-between"
          px={4}
          py={2}
          bg={primary}
          c="white"
          style={small}
          data-testid="preview-table-header"
        >
          <span>Date · Charger / bay</span>
          <span>kWh</span>
          <span>Amount ex GST</span>
        </Group>
        <Group justify="space-between" px={4} py={2} style={small}>
          <span>01/03/2026 · Level B1 charger 3</span>
          <span>8.000</span>
          <span>$2.55</span>
        </Group>
      </Box>
      <Stack gap={0} align="flex-end" mt={4} style={small}>
        {s.gstRegistered ? <span>GST (10 %) $0.26</span> : null}
        <Text fw={700} style={{ fontSize: 12 }}>
          Total {s.gstRegistered ? 'inc GST ' : ''}$2.81
        </Text>
      </Stack>
      <Box
        mt="sm"
        p={6}
        style={{ border: `1px solid ${accent}`, ...small }}
        data-testid="preview-payment"
      >
        <b>How to pay</b>
        <br />
        {s.bpayBillerCode
          ? `BPAY — Biller code ${s.bpayBillerCode}`
          : 'Payment options as set above'}
      </Box>
      <Text mt="sm" pt={4} style={{ ...small, borderTop: '1px solid #ddd' }} c={DIM}>
        {s.footerText?.trim() || `${name} · questions about this invoice: ${contact || '…'}`}
      </Text>
    </Paper>
  );
}
