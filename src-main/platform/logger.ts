export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object a line on stderr (stdout is kept for the service's user-facing messages). */
export function createConsoleLogger(level: LogLevel = 'info', base: LogFields = {}): Logger {
  const write = (l: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[l] < ORDER[level]) return;
    const entry = { t: new Date().toISOString(), level: l, msg, ...base, ...fields };
    process.stderr.write(
      JSON.stringify(entry, (_k, v: unknown) =>
        v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v,
      ) + '\n',
    );
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createConsoleLogger(level, { ...base, ...fields }),
  };
}

/** Collects log entries in memory: for tests that assert something was logged. */
export function createMemoryLogger(): Logger & {
  entries: { level: LogLevel; msg: string; fields: LogFields }[];
} {
  const entries: { level: LogLevel; msg: string; fields: LogFields }[] = [];
  const make = (base: LogFields): Logger => ({
    debug: (msg, f) => entries.push({ level: 'debug', msg, fields: { ...base, ...f } }),
    info: (msg, f) => entries.push({ level: 'info', msg, fields: { ...base, ...f } }),
    warn: (msg, f) => entries.push({ level: 'warn', msg, fields: { ...base, ...f } }),
    error: (msg, f) => entries.push({ level: 'error', msg, fields: { ...base, ...f } }),
    child: (fields) => make({ ...base, ...fields }),
  });
  return Object.assign(make({}), { entries });
}
