import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const AUDIT_RECORDS = 'usdt_audit_records_total';
export const AUDIT_APPEND_CONFLICTS = 'usdt_audit_append_conflicts_total';

export const auditMetricProviders = [
  makeCounterProvider({
    name: AUDIT_RECORDS,
    help: 'Records appended to the audit chain by this instance, by action',
    labelNames: ['action'],
  }),
  makeCounterProvider({
    name: AUDIT_APPEND_CONFLICTS,
    help: 'Appends that found their seq taken by another writer (another instance) and tried again',
  }),
];
