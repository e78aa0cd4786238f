import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import type { Role } from './api/types';
import { useSession } from './auth/session';
import { Shell } from './components/Shell';
import { SignIn } from './pages/SignIn';

// Every screen is its own chunk: the first load is the shell, the sign-in and the dashboard.
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Reports = lazy(() => import('./pages/Reports'));
const Conversions = lazy(() => import('./pages/Conversions'));
const ConversionTrace = lazy(() => import('./pages/ConversionTrace'));
const Postbacks = lazy(() => import('./pages/Postbacks'));
const Deliveries = lazy(() => import('./pages/Deliveries'));
const Networks = lazy(() => import('./pages/Networks'));
const Offers = lazy(() => import('./pages/Offers'));
const TrafficSources = lazy(() => import('./pages/TrafficSources'));
const Campaigns = lazy(() => import('./pages/Campaigns'));
const Users = lazy(() => import('./pages/Users'));
const ApiKeys = lazy(() => import('./pages/ApiKeys'));
const CurrencyRates = lazy(() => import('./pages/CurrencyRates'));
const Forbidden = lazy(() => import('./pages/Forbidden'));
const Sessions = lazy(() => import('./pages/Sessions'));

export function App() {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  if (!user) {
    if (location.pathname === '/sign-in') return <SignIn />;
    const next = location.pathname + location.search;
    return <Navigate to={`/sign-in${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  const staff: Role[] = ['admin', 'manager'];
  return (
    <Shell>
      <Suspense
        fallback={
          <Center p="xl">
            <Loader size="sm" aria-label="Loading" />
          </Center>
        }
      >
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/sign-in" element={<Navigate to="/" replace />} />
          <Route path="/reports" element={<Reports />} />
          <Route path="/conversions" element={<Conversions />} />
          <Route path="/conversions/:id" element={<ConversionTrace />} />
          <Route path="/account/sessions" element={<Sessions />} />
          <Route
            path="/postbacks"
            element={
              <Only roles={staff}>
                <Postbacks />
              </Only>
            }
          />
          <Route
            path="/deliveries"
            element={
              <Only roles={staff}>
                <Deliveries />
              </Only>
            }
          />
          <Route
            path="/setup/networks"
            element={
              <Only roles={staff}>
                <Networks />
              </Only>
            }
          />
          <Route
            path="/setup/offers"
            element={
              <Only roles={staff}>
                <Offers />
              </Only>
            }
          />
          <Route
            path="/setup/traffic-sources"
            element={
              <Only roles={staff}>
                <TrafficSources />
              </Only>
            }
          />
          <Route
            path="/setup/campaigns"
            element={
              <Only roles={staff}>
                <Campaigns />
              </Only>
            }
          />
          <Route
            path="/currency-rates"
            element={
              <Only roles={staff}>
                <CurrencyRates />
              </Only>
            }
          />
          <Route
            path="/admin/users"
            element={
              <Only roles={['admin']}>
                <Users />
              </Only>
            }
          />
          <Route
            path="/admin/api-keys"
            element={
              <Only roles={['admin']}>
                <ApiKeys />
              </Only>
            }
          />
          <Route path="*" element={<Forbidden notFound />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}

/** A screen for some roles only; the API refuses the others anyway, this says so instead of showing errors. */
function Only({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { user } = useSession();
  return user && roles.includes(user.role) ? <>{children}</> : <Forbidden />;
}
