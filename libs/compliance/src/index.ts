export * from './compliance-check';
export * from './compliance.module';
