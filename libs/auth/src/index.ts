export * from './auth.module';
export * from './decorators/auth.decorators';
export * from './guards/jwt-auth.guard';
export * from './guards/roles.guard';
export * from './roles';
export * from './token-signer';
