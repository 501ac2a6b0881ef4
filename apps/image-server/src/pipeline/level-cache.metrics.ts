import type { Metrics } from '@openexp/service-runtime';
import { type Counter, Gauge } from 'prom-client';

/**
 * The level cache's metrics: the counter `is_level_cache_events_total{event}` and the gauge
 * `is_level_cache_derivations{state}` (shared by every service of one registry), its two states at 0.
 */
export function levelCacheMetrics(metrics: Metrics): { events: Counter<'event'>; derivations: Gauge<'state'> } {
  const derivations =
    (metrics.registry.getSingleMetric('is_level_cache_derivations') as Gauge<'state'> | undefined) ??
    new Gauge({ name: 'is_level_cache_derivations', help: 'Level cache: derivations waiting for the CPU to have room (waiting) and in progress (running)', labelNames: ['state'], registers: [metrics.registry] });
  derivations.set({ state: 'waiting' }, 0);
  derivations.set({ state: 'running' }, 0);
  const events = metrics.counter(
    'is_level_cache_events_total',
    'Level cache: renders reading derived levels (used), files written (derived), sources changed during a derivation (stale), failures (failed), renders that fell back to the source (fallback), files evicted (evicted)',
    ['event'],
  );
  return { events, derivations };
}
