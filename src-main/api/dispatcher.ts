// The one dispatcher: every API call from every transport comes through `dispatch`, which
// validates the input against the contract, resolves the session, enforces the method's access
// rule and site scope (site-scope.ts), runs the handler, validates (and so strips) the output, and records the audit entry.
import type { z } from 'zod';
import { contract, isMethodName, type MethodName } from '../../src-shared/api/contract';
import { ApiFailure, err, ok, type Result } from '../../src-shared/api/result';
import type { Access } from '../../src-shared/api/define';
import { validationError } from '../../src-shared/validation-messages';
import type { AuditDetail, CallContext, Caller, Connection, Handler, HandlerMap } from './context';
import type { Services } from '../services';
import type { Logger } from '../platform/logger';
import type { Clock } from '../platform/clock';
import { enforceOrgScope, enforceSiteScope } from './site-scope';
import { isSecretConfigKey } from '../../src-shared/ocpp/config-keys';

/** Input fields never written to the audit log. */
const SECRET_KEYS = /password|token|secret|authorizationkey|key$/i;

/** Longer texts (an uploaded file, base64) are recorded by size: the log is for who did what. */
const BULK_TEXT = 10_000;

export function redact(value: unknown): unknown {
  if (typeof value === 'string' && value.length > BULK_TEXT) {
    return `[${value.length} characters]`;
  }
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // A charger configuration {key, value} (station-config-set): the key's name is kept, a
    // secret key's value never (src-shared/ocpp/config-keys.ts isSecretConfigKey).
    const configKey = typeof o.key === 'string' ? o.key : null;
    return Object.fromEntries(
      Object.entries(o).map(([k, v]) => [
        k,
        k === 'key' && configKey !== null
          ? configKey
          : (k === 'value' && configKey !== null && isSecretConfigKey(configKey)) ||
              (SECRET_KEYS.test(k) && v != null)
            ? '[redacted]'
            : redact(v),
      ]),
    );
  }
  return value;
}

/** What a user whose password was reset may do before choosing a new one. */
const ALLOWED_BEFORE_NEW_PASSWORD: ReadonlySet<MethodName> = new Set<MethodName>([
  'setup-status',
  'session-login',
  'session-resume',
  'session-logout',
  'session-current',
  'password-change',
]);

export function isAllowed(access: Access, caller: Caller | null): boolean {
  if (access === 'public') return true;
  if (caller === null) return false;
  if (access === 'authenticated') return true;
  return access.includes(caller.role);
}

export interface Dispatcher {
  dispatch(conn: Connection, method: string, input: unknown): Promise<Result<unknown>>;
}

export function createDispatcher(deps: {
  services: Services;
  handlers: HandlerMap<MethodName>;
  logger: Logger;
  clock: Clock;
}): Dispatcher {
  const { services, handlers, logger, clock } = deps;

  return {
    async dispatch(conn, method, rawInput) {
      if (!isMethodName(method)) return err('unknown-method', `Unknown API method “${method}”.`);
      const def = contract[method];
      const now = clock.now();
      const caller = conn.token ? services.auth.resolveSession(conn.token, now) : null;

      const auditDetail: AuditDetail = {};
      const writeAudit = (outcome: string, input: unknown) => {
        if (!def.audit) return;
        try {
          services.audit.record({
            at: now,
            caller,
            method,
            input: redact(input),
            outcome,
            ...auditDetail,
          });
        } catch (cause) {
          logger.error('audit write failed', { method, cause });
        }
      };

      if (!isAllowed(def.access, caller)) {
        if (caller === null) {
          return err(
            'unauthenticated',
            conn.token ? 'Your session has expired. Log in again.' : 'Log in first.',
          );
        }
        writeAudit('forbidden', rawInput);
        return err('forbidden', `Your role may not use “${method}”.`);
      }
      if (caller?.mustChangePassword && !ALLOWED_BEFORE_NEW_PASSWORD.has(method)) {
        return err(
          'forbidden',
          'Your password was reset: choose a new password before you continue.',
        );
      }
      try {
        enforceOrgScope(method, caller);
      } catch (cause) {
        writeAudit('forbidden', rawInput);
        if (cause instanceof ApiFailure) return { ok: false, error: cause.error };
        throw cause;
      }

      const parsed = (def.input as z.ZodType).safeParse(rawInput ?? {});
      // Every invalid field at once, in words (a form marks them all in one round trip).
      if (!parsed.success) return { ok: false, error: validationError(parsed.error, rawInput) };

      const ctx: CallContext = {
        conn,
        caller,
        services,
        now,
        audit: (d) => Object.assign(auditDetail, d),
        requireCaller: () => {
          if (!caller) throw new ApiFailure('unauthenticated', 'Log in first.');
          return caller;
        },
        assertSite: (siteId) => {
          if (!caller) throw new ApiFailure('unauthenticated', 'Log in first.');
          if (caller.role === 'admin' || caller.role === 'support') return;
          if (!caller.siteIds.includes(siteId)) {
            throw new ApiFailure('forbidden', 'You do not have access to this site.');
          }
        },
        visibleSites: () =>
          !caller || caller.role === 'admin' || caller.role === 'support' ? 'all' : caller.siteIds,
      };

      try {
        // Every site the input names must be one of the caller's (site-scope.ts), whatever the
        // handler does next: a handler cannot forget it.
        enforceSiteScope(services.db, method, parsed.data, caller);
        const handler = handlers[method] as Handler<typeof method>;
        const value = await handler(parsed.data as never, ctx);
        const out = (def.output as z.ZodType).safeParse(value);
        if (!out.success) {
          logger.error('handler output does not match the contract', {
            method,
            issues: out.error.issues.slice(0, 3),
          });
          return err('internal', 'The server produced an invalid answer; see the log.');
        }
        writeAudit('ok', parsed.data);
        return ok(out.data);
      } catch (cause) {
        if (cause instanceof ApiFailure) {
          if (cause.error.code === 'forbidden') writeAudit('forbidden', parsed.data);
          return { ok: false, error: cause.error };
        }
        logger.error('API handler failed', { method, cause });
        return err('internal', 'Something went wrong on the server; the details are in its log.');
      }
    },
  };
}
