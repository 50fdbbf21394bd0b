import { getToken, makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

import { NodeCallMetrics } from './transport/node-caller';

export const TRON_NODE_CALL_DURATION = 'tron_node_call_duration_seconds';
export const TRON_NODE_CALL_ERRORS = 'tron_node_call_errors_total';

/** Label values are fixed strings (endpoint names, failure kinds): cardinality stays bounded. */
export const tronMetricProviders = [
  makeHistogramProvider({
    name: TRON_NODE_CALL_DURATION,
    help: 'Duration of TRON node requests in seconds, per attempt, by endpoint and outcome',
    labelNames: ['endpoint', 'outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  makeCounterProvider({
    name: TRON_NODE_CALL_ERRORS,
    help: 'Failed TRON node request attempts by endpoint and reason (connection, timeout, rate_limited, ...)',
    labelNames: ['endpoint', 'reason'],
  }),
];

export const TRON_NODE_CALL_DURATION_TOKEN = getToken(TRON_NODE_CALL_DURATION);
export const TRON_NODE_CALL_ERRORS_TOKEN = getToken(TRON_NODE_CALL_ERRORS);

export function prometheusNodeCallMetrics(
  duration: Histogram<string>,
  errors: Counter<string>,
): NodeCallMetrics {
  return {
    observe: (endpoint, outcome, seconds) => duration.observe({ endpoint, outcome }, seconds),
    failed: (endpoint, reason) => errors.inc({ endpoint, reason }),
  };
}
