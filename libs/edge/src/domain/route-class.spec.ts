import { routeClassOf } from './route-class';

describe('routeClassOf', () => {
  it('puts @Public routes in the public class, whatever the method', () => {
    expect(routeClassOf({ isPublic: true, method: 'GET' })).toBe('public');
    expect(routeClassOf({ isPublic: true, method: 'POST' })).toBe('public');
  });

  it('puts admin routes in the admin class, reads and writes alike', () => {
    expect(routeClassOf({ isPublic: false, role: 'admin', method: 'GET' })).toBe('admin');
    expect(routeClassOf({ isPublic: false, role: 'admin', method: 'PUT' })).toBe('admin');
    expect(routeClassOf({ isPublic: false, role: 'admin', method: 'POST' })).toBe('admin');
  });

  it('puts state-changing operator routes (transfer, approve, batch) in the money class', () => {
    expect(routeClassOf({ isPublic: false, role: 'operator', method: 'POST' })).toBe('money');
    expect(routeClassOf({ isPublic: false, role: 'operator', method: 'post' })).toBe('money');
    expect(routeClassOf({ isPublic: false, role: 'operator', method: 'DELETE' })).toBe('money');
  });

  it('puts operator reads, viewer routes and routes without a role in the read class', () => {
    expect(routeClassOf({ isPublic: false, role: 'operator', method: 'GET' })).toBe('read');
    expect(routeClassOf({ isPublic: false, role: 'operator', method: 'HEAD' })).toBe('read');
    expect(routeClassOf({ isPublic: false, role: 'viewer', method: 'GET' })).toBe('read');
    expect(routeClassOf({ isPublic: false, role: 'viewer', method: 'POST' })).toBe('read');
    expect(routeClassOf({ isPublic: false, method: 'GET' })).toBe('read');
  });

  it('lets a route declare its class over the derived one', () => {
    expect(routeClassOf({ isPublic: false, role: 'operator', method: 'POST', declared: 'read' })).toBe(
      'read',
    );
    expect(routeClassOf({ isPublic: false, role: 'viewer', method: 'POST', declared: 'money' })).toBe(
      'money',
    );
  });
});
