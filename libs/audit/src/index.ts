export * from './audit-trail';
export * from './audit.module';
export * from './domain/redact';
// TransferAuditModule is imported by path (`@app/audit/transfer-audit.module`), not from here: it pulls in
// @app/transfers, and libraries that only record entries must not load transfers through @app/audit.
