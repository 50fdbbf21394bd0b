/** Roles form a ladder: admin implies operator implies viewer. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when any of the caller's roles is at or above the required one. */
export function hasRole(granted: readonly Role[], required: Role): boolean {
  return granted.some((role) => RANK[role] >= RANK[required]);
}

/** The authenticated caller, as the JWT strategy puts it on the request. */
export interface AuthUser {
  sub: string;
  roles: Role[];
}
