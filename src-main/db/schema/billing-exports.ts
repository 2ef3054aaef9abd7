// Export profiles for strata accounting software (src-main/billing/exports): a site's saved
// profiles, each a JSON ExportProfile (src-shared/billing/export-profile.ts), validated before
// it is stored. A key without a row here is the shipped default of that key.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sites } from './core';

export const billingExportProfiles = sqliteTable(
  'billing_export_profiles',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    /** 'stratamax', 'propertyiq', … for a default the user edited, or the user's own key. */
    key: text('key').notNull(),
    profile: text('profile').notNull(),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: integer('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.key] })],
);
