export * from './approvals.module';
export * from './emergency/emergency-state.repository';
export * from './emergency/emergency-stop';
export * from './use-cases/expire-approvals';
