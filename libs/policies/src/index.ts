export * from './domain/policies';
export * from './domain/policy-document';
export * from './policies.module';
export * from './policy-store';
