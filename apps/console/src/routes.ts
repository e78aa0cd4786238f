import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { matchPath } from 'react-router';
import type { Role } from './auth/session';

/** A heading in the side navigation; the screens of a group follow each other in the table. */
export type NavigationGroup = 'Setup' | 'Admin' | 'Account';

/** One screen of the console: where it lives, its code, who may see it, and its entry in the navigation (if any). */
export interface Screen {
  path: string;
  /** Every screen is its own chunk: the first load is the shell, the sign-in and the dashboard. */
  component: LazyExoticComponent<ComponentType>;
  /** The roles that may open it. The API refuses the others anyway; the console says so instead of showing errors. */
  roles: readonly Role[];
  navigation?: { label: string; group?: NavigationGroup };
  /** The screen's name in the browser tab (`<title>`); a screen in the navigation is named by its label unless this says otherwise. */
  title?: string;
}

const EVERYONE: readonly Role[] = ['admin', 'manager', 'client'];
const STAFF: readonly Role[] = ['admin', 'manager'];
const ADMINS: readonly Role[] = ['admin'];

/** The one list of screens: App.tsx makes the routes from it and Shell.tsx the navigation, in this order. */
export const SCREENS: readonly Screen[] = [
  { path: '/', component: lazy(() => import('./pages/dashboard/Dashboard')), roles: EVERYONE, navigation: { label: 'Dashboard' } },
  { path: '/reports', component: lazy(() => import('./pages/reports/Reports')), roles: EVERYONE, navigation: { label: 'Reports' } },
  { path: '/conversions', component: lazy(() => import('./pages/conversions/Conversions')), roles: EVERYONE, navigation: { label: 'Conversions' } },
  { path: '/conversions/:id', component: lazy(() => import('./pages/conversions/ConversionTrace')), roles: EVERYONE, title: 'Conversion trace' },
  { path: '/postbacks', component: lazy(() => import('./pages/postbacks/Postbacks')), roles: STAFF, navigation: { label: 'Received postbacks' } },
  { path: '/deliveries', component: lazy(() => import('./pages/deliveries/Deliveries')), roles: STAFF, navigation: { label: 'Deliveries' } },
  { path: '/fraud/held', component: lazy(() => import('./pages/fraud/HeldConversions')), roles: STAFF, navigation: { label: 'Held conversions' } },
  { path: '/fraud/campaigns/:id', component: lazy(() => import('./pages/fraud/CampaignFraud')), roles: STAFF, title: 'Campaign fraud' },
  { path: '/fraud/rescore', component: lazy(() => import('./pages/fraud/rescore/Rescore')), roles: STAFF, navigation: { label: 'Re-score' } },
  {
    path: '/setup/networks',
    component: lazy(() => import('./pages/networks/Networks')),
    roles: STAFF,
    navigation: { label: 'Networks', group: 'Setup' },
  },
  { path: '/setup/offers', component: lazy(() => import('./pages/offers/Offers')), roles: STAFF, navigation: { label: 'Offers', group: 'Setup' } },
  {
    path: '/setup/traffic-sources',
    component: lazy(() => import('./pages/traffic-sources/TrafficSources')),
    roles: STAFF,
    navigation: { label: 'Traffic sources', group: 'Setup' },
  },
  {
    path: '/setup/campaigns',
    component: lazy(() => import('./pages/campaigns/Campaigns')),
    roles: STAFF,
    navigation: { label: 'Campaigns', group: 'Setup' },
  },
  {
    path: '/currency-rates',
    component: lazy(() => import('./pages/currency-rates/CurrencyRates')),
    roles: STAFF,
    navigation: { label: 'Currency rates', group: 'Setup' },
  },
  { path: '/admin/users', component: lazy(() => import('./pages/users/Users')), roles: ADMINS, navigation: { label: 'Users', group: 'Admin' } },
  { path: '/admin/api-keys', component: lazy(() => import('./pages/api-keys/ApiKeys')), roles: ADMINS, navigation: { label: 'API keys', group: 'Admin' } },
  { path: '/admin/alerts', component: lazy(() => import('./pages/alerts/AlertWebhooks')), roles: ADMINS, navigation: { label: 'Alerts', group: 'Admin' } },
  { path: '/admin/audit-log', component: lazy(() => import('./pages/audit-log/AuditLog')), roles: ADMINS, navigation: { label: 'Audit log', group: 'Admin' } },
  {
    path: '/account/password',
    component: lazy(() => import('./pages/account/ChangePassword')),
    roles: EVERYONE,
    navigation: { label: 'Password', group: 'Account' },
  },
  {
    path: '/account/sessions',
    component: lazy(() => import('./pages/account/Sessions')),
    roles: EVERYONE,
    navigation: { label: 'Sessions', group: 'Account' },
  },
];

/** Whether a user of this role may open the screen. */
export function canOpen(screen: Pick<Screen, 'roles'>, role: Role): boolean {
  return screen.roles.includes(role);
}

/** A link of the side navigation; `heading` is set on the first link of a group. */
export interface NavigationLink {
  label: string;
  to: string;
  heading?: NavigationGroup;
}

/** The side navigation a user of this role sees: the screens they may open that have an entry, with group headings. */
export function navigationFor(role: Role, screens: readonly Screen[] = SCREENS): NavigationLink[] {
  const links: NavigationLink[] = [];
  let group: NavigationGroup | undefined;
  for (const screen of screens) {
    if (!screen.navigation || !canOpen(screen, role)) continue;
    const link: NavigationLink = { label: screen.navigation.label, to: screen.path };
    if (screen.navigation.group && screen.navigation.group !== group) link.heading = screen.navigation.group;
    group = screen.navigation.group;
    links.push(link);
  }
  return links;
}

/** What the browser tab says after a screen's name. */
export const PRODUCT_NAME = 'Postwire';

/** A screen's name: its own title, else its navigation label. */
export function screenName(screen: Pick<Screen, 'title' | 'navigation'>): string | undefined {
  return screen.title ?? screen.navigation?.label;
}

/**
 * The `<title>` of the page at this address for a user of this role ("Reports — Postwire"), named as the
 * route table names the screen; an address no screen has, or one the role may not open, says so as the
 * page itself does. Without a role (signed out) only the sign-in page has a name of its own.
 */
export function pageTitle(pathname: string, role: Role | undefined, screens: readonly Screen[] = SCREENS): string {
  const screen = screens.find((s) => matchPath(s.path, pathname));
  let name: string | undefined;
  if (!role) name = pathname === '/sign-in' ? 'Sign in' : undefined;
  else if (!screen) name = 'Page not found';
  else name = canOpen(screen, role) ? screenName(screen) : 'Not available';
  return name ? `${name} — ${PRODUCT_NAME}` : PRODUCT_NAME;
}
