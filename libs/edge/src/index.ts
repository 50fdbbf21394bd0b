export * from './domain/ip-allowlist';
export * from './domain/route-class';
export * from './edge.module';
export * from './http/rate-limit-as.decorator';
export * from './http/route-traits';
