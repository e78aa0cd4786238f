import { Center, Loader } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from './auth/session';
import { Shell } from './components/Shell';
import { SignIn } from './pages/sign-in/SignIn';
import { canOpen, pageTitle, SCREENS } from './routes';

const Forbidden = lazy(() => import('./pages/forbidden/Forbidden'));

export function App() {
  const { user, loading } = useSession();
  const location = useLocation();
  useDocumentTitle(loading ? '' : pageTitle(location.pathname, user?.role));
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
          {SCREENS.map((screen) => (
            // A screen the role may not open still has its route, so the address says "not available" instead of "not found".
            <Route key={screen.path} path={screen.path} element={canOpen(screen, user.role) ? <screen.component /> : <Forbidden />} />
          ))}
          <Route path="/sign-in" element={<Navigate to="/" replace />} />
          <Route path="*" element={<Forbidden notFound />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}
