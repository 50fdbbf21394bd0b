import { hasRole } from './roles';

describe('hasRole', () => {
  it('lets a higher role act as a lower one', () => {
    expect(hasRole(['admin'], 'viewer')).toBe(true);
    expect(hasRole(['admin'], 'operator')).toBe(true);
    expect(hasRole(['operator'], 'viewer')).toBe(true);
  });

  it('refuses a lower role and an empty role list', () => {
    expect(hasRole(['viewer'], 'operator')).toBe(false);
    expect(hasRole(['operator'], 'admin')).toBe(false);
    expect(hasRole([], 'viewer')).toBe(false);
  });
});
