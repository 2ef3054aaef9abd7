// Floor plans: one image per floor, kept in the database (not beside it) so that a backup, a
// restore and the integrity check cover it like every other record.
import { blob, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { floors } from './core';

export const floorPlans = sqliteTable('floor_plans', {
  /** One plan per floor; replacing the plan replaces this row. */
  floorId: integer('floor_id')
    .primaryKey()
    .references(() => floors.id, { onDelete: 'cascade' }),
  /** The sniffed type (never the uploader's claim): image/png, image/jpeg or image/svg+xml. */
  mime: text('mime', { enum: ['image/png', 'image/jpeg', 'image/svg+xml'] }).notNull(),
  /** Pixel size (SVG: its width/height or viewBox), the map's coordinate space. */
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  fileName: text('file_name').notNull(),
  data: blob('data', { mode: 'buffer' }).notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  uploadedAt: integer('uploaded_at').notNull(),
  uploadedBy: integer('uploaded_by'),
});
