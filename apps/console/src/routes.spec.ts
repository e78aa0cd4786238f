import { canOpen, navigationFor, SCREENS } from './routes';

const screen = (path: string) => SCREENS.find((s) => s.path === path)!;

describe('the route and navigation table', () => {
  it('declares each path once', () => {
    const paths = SCREENS.map((s) => s.path);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('lets every role open the dashboard, and only admins the users and API keys', () => {
    for (const role of ['admin', 'manager', 'client'] as const) expect(canOpen(screen('/'), role)).toBe(true);
    expect(canOpen(screen('/admin/users'), 'admin')).toBe(true);
    expect(canOpen(screen('/admin/users'), 'manager')).toBe(false);
    expect(canOpen(screen('/admin/api-keys'), 'client')).toBe(false);
    expect(canOpen(screen('/admin/audit-log'), 'admin')).toBe(true);
    expect(canOpen(screen('/admin/audit-log'), 'manager')).toBe(false);
    expect(canOpen(screen('/setup/networks'), 'manager')).toBe(true);
    expect(canOpen(screen('/setup/networks'), 'client')).toBe(false);
  });

  it('shows a client only the reading screens and its own account', () => {
    expect(navigationFor('client')).toEqual([
      { label: 'Dashboard', to: '/' },
      { label: 'Reports', to: '/reports' },
      { label: 'Conversions', to: '/conversions' },
      { label: 'Password', to: '/account/password', heading: 'Account' },
      { label: 'Sessions', to: '/account/sessions' },
    ]);
  });

  it('shows a manager the setup group but not the admin group, and no link to a single conversion', () => {
    const links = navigationFor('manager');
    expect(links.map((l) => l.label)).toEqual([
      'Dashboard',
      'Reports',
      'Conversions',
      'Received postbacks',
      'Deliveries',
      'Held conversions',
      'Networks',
      'Offers',
      'Traffic sources',
      'Campaigns',
      'Currency rates',
      'Password',
      'Sessions',
    ]);
    expect(links.filter((l) => l.heading).map((l) => [l.label, l.heading])).toEqual([
      ['Networks', 'Setup'],
      ['Password', 'Account'],
    ]);
  });

  it('heads each group once, on its first link the role may see', () => {
    const headings = navigationFor('admin')
      .filter((l) => l.heading)
      .map((l) => [l.label, l.heading]);
    expect(headings).toEqual([
      ['Networks', 'Setup'],
      ['Users', 'Admin'],
      ['Password', 'Account'],
    ]);
  });
});
