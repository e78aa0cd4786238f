import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { useSession, useUser } from '../auth/session';

const NAV: Array<{ label: string; to: string; roles?: Role[]; section?: string }> = [
  { label: 'Dashboard', to: '/' },
  { label: 'Reports', to: '/reports' },
  { label: 'Conversions', to: '/conversions' },
  { label: 'Received postbacks', to: '/postbacks', roles: ['admin', 'manager'] },
  { label: 'Deliveries', to: '/deliveries', roles: ['admin', 'manager'] },
  { label: 'Networks', to: '/setup/networks', roles: ['admin', 'manager'], section: 'Setup' },
  { label: 'Offers', to: '/setup/offers', roles: ['admin', 'manager'] },
  { label: 'Traffic sources', to: '/setup/traffic-sources', roles: ['admin', 'manager'] },
  { label: 'Campaigns', to: '/setup/campaigns', roles: ['admin', 'manager'] },
  { label: 'Currency rates', to: '/currency-rates', roles: ['admin', 'manager'] },
  { label: 'Users', to: '/admin/users', roles: ['admin'], section: 'Admin' },
  { label: 'API keys', to: '/admin/api-keys', roles: ['admin'] },
  { label: 'Sessions', to: '/account/sessions', section: 'Account' },
];

export function Shell({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const user = useUser();
  const { signOut } = useSession();
  const location = useLocation();
  const links = NAV.filter((item) => !item.roles || item.roles.includes(user.role));
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={2} size="h4">
              Postwire
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="xs" data-testid="current-user">
              {user.email} · {user.role}
            </Text>
            <Button variant="subtle" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {links.map((item) => (
            <div key={item.to}>
              {item.section && (
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                  {item.section}
                </Text>
              )}
              <NavLink
                component={Link}
                to={item.to}
                label={item.label}
                active={item.to === '/' ? location.pathname === '/' : location.pathname.startsWith(item.to)}
                onClick={close}
              />
            </div>
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
