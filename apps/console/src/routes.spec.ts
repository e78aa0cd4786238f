import { canOpen, navigationFor, pageTitle, SCREENS, screenName, type Screen } from './routes';

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
      'Re-score',
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

  it('names every screen, each differently, so every browser tab and history entry says where it is', () => {
    const names = SCREENS.map((s) => [s.path, screenName(s)]);
    expect(names.filter(([, name]) => !name)).toEqual([]);
    expect(new Set(names.map(([, name]) => name)).size).toBe(SCREENS.length);
  });

  it('titles a page by its screen, with parameters, and says when an address is unknown or not allowed', () => {
    expect(pageTitle('/', 'admin')).toBe('Dashboard — Postwire');
    expect(pageTitle('/reports', 'client')).toBe('Reports — Postwire');
    expect(pageTitle('/conversions/01jz8k3m', 'manager')).toBe('Conversion trace — Postwire');
    expect(pageTitle('/setup/networks', 'admin')).toBe('Networks — Postwire');
    expect(pageTitle('/admin/users', 'manager')).toBe('Not available — Postwire');
    expect(pageTitle('/no/such/page', 'admin')).toBe('Page not found — Postwire');
    expect(pageTitle('/sign-in', undefined)).toBe('Sign in — Postwire');
    expect(pageTitle('/reports', undefined)).toBe('Postwire');
  });

  it('prefers a screen title over its navigation label', () => {
    const screens: Screen[] = [{ path: '/x', component: SCREENS[0].component, roles: ['admin'], navigation: { label: 'X' }, title: 'The X screen' }];
    expect(pageTitle('/x', 'admin', screens)).toBe('The X screen — Postwire');
  });
});
