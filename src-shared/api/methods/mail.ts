// Mail methods: SMTP settings (the password is write-only: no method returns it), a test
// email that reports the server's exact answer, and the outbox.
import { z } from 'zod';
import { method } from '../define';
import { pageInput, pageOutput } from '../paging';
import { emailSchema, idSchema } from '../../validation';

export const smtpSecuritySchema = z.enum(['none', 'starttls', 'tls']);
export type SmtpSecurity = z.infer<typeof smtpSecuritySchema>;

export const mailSettingsSchema = z.object({
  /** False until an administrator has saved the settings once. */
  configured: z.boolean(),
  host: z.string(),
  port: z.number(),
  security: smtpSecuritySchema,
  user: z.string().nullable(),
  /** Whether a password is stored; the password itself never leaves the core. */
  passwordSet: z.boolean(),
  from: z.string(),
  replyTo: z.string().nullable(),
});
export type MailSettings = z.infer<typeof mailSettingsSchema>;

const hostSchema = z
  .string()
  .trim()
  .min(1, 'Enter the mail server, e.g. smtp.example.com')
  .max(253, 'At most 253 characters')
  .regex(
    /^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/,
    'A host name or IP address, e.g. smtp.example.com',
  );

export const outboxStateSchema = z.enum(['queued', 'sending', 'sent', 'failed']);
export type OutboxState = z.infer<typeof outboxStateSchema>;

export const outboxMessageSchema = z.object({
  id: z.number(),
  kind: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  state: outboxStateSchema,
  attempts: z.number(),
  createdAt: z.number(),
  lastAttemptAt: z.number().nullable(),
  /** When the next attempt is due (queued messages only). */
  nextAttemptAt: z.number().nullable(),
  sentAt: z.number().nullable(),
  /** What went wrong, in words that say how to fix it. */
  lastError: z.string().nullable(),
  /** The mail server's last answer, verbatim. */
  serverAnswer: z.string().nullable(),
  attachments: z.number(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

export const mailMethods = {
  'mail-settings-get': method({
    summary: 'The SMTP server settings (never the password: only whether one is stored).',
    access: ['admin'],
    audit: false,
    input: z.object({}).strict(),
    output: mailSettingsSchema,
  }),
  'mail-settings-update': method({
    summary: 'Saves the SMTP server settings. Leave the password out to keep the stored one.',
    access: ['admin'],
    audit: true,
    input: z
      .object({
        host: hostSchema,
        port: z
          .number('Enter the port, e.g. 587')
          .int('A whole number')
          .min(1, 'From 1 to 65535')
          .max(65535, 'From 1 to 65535'),
        security: smtpSecuritySchema,
        user: z.string().trim().max(254, 'At most 254 characters').nullish(),
        /** Omitted or '' = keep the stored password; null = remove it. */
        password: z.string().max(500, 'At most 500 characters').nullish(),
        from: emailSchema,
        replyTo: emailSchema.nullish(),
      })
      .strict(),
    output: mailSettingsSchema,
  }),
  'mail-test-send': method({
    summary: 'Sends a test email now with the saved settings and reports the server’s answer.',
    access: ['admin'],
    audit: true,
    input: z.object({ to: emailSchema }).strict(),
    output: z.object({
      sent: z.boolean(),
      /** Success, or what went wrong and how to fix it. */
      message: z.string(),
      serverAnswer: z.string().nullable(),
    }),
  }),
  'mail-outbox-list': method({
    summary: 'Messages in the outbox, newest first.',
    access: ['admin'],
    audit: false,
    input: z
      .object({
        state: outboxStateSchema.optional(),
        ...pageInput(50),
      })
      .strict(),
    output: z.object({ ...pageOutput, messages: z.array(outboxMessageSchema) }),
  }),
  'mail-outbox-retry': method({
    summary: 'Sends a failed or waiting message again now.',
    access: ['admin'],
    audit: true,
    input: z.object({ id: idSchema }).strict(),
    output: outboxMessageSchema,
  }),
};
