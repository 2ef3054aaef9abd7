// Billing test data: a site's billing settings with a valid ABN and every payment option.
import type { MethodInput } from '../../src-shared/api/contract';

export const settingsInput = (siteId: number): MethodInput<'billing-settings-update'> => ({
  siteId,
  cycle: 'monthly',
  periodEndDay: 0,
  quarterEndMonth: 3,
  dueDays: 14,
  issuerName: 'Harbour Strata Management',
  issuerAbn: '51 824 753 556',
  issuerAddress: 'Level 3, 1 George St, Sydney NSW 2000',
  gstRegistered: true,
  numberFormat: 'EV-{seq:5}',
  bsb: '062-000',
  bankAccountNumber: '12345678',
  bankAccountName: 'Harbour View Owners Corp',
  bpayBillerCode: '123456',
  deftEnabled: false,
  strataPayEnabled: false,
  contactEmail: 'accounts@harbour.example',
  contactPhone: '02 9000 0000',
  footerText: 'Harbour Strata Management — questions about this invoice: 02 9000 0000',
  primaryColour: '#1c4e80',
  accentColour: '#0091d5',
});
