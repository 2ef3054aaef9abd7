// The controller's own main-thread time (recomputes, settling answers, meter samples) and counts,
// cumulative: the OCPP bench reports its share per message, the latency bench its time per
// arrival (docs/benchmarks.md). Wall time on the main thread: it includes the commits' fsyncs.
export interface ControllerStats {
  busyMs: number;
  recomputes: number;
  samples: number;
  profiles: number;
}

export function createControllerStats() {
  const stats: ControllerStats = { busyMs: 0, recomputes: 0, samples: 0, profiles: 0 };
  let depth = 0;
  /** Runs `fn`, its time counted once however deeply timed calls nest. */
  function timed<T>(fn: () => T): T {
    if (depth++ > 0) {
      try {
        return fn();
      } finally {
        depth--;
      }
    }
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      depth--;
      stats.busyMs += performance.now() - t0;
    }
  }
  return { stats, timed };
}
