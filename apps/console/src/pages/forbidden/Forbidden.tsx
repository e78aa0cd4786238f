import { EmptyState } from '../../components/states';

export default function Forbidden({ notFound }: { notFound?: boolean }) {
  return notFound ? (
    <EmptyState title="Page not found" action={{ label: 'Go to the dashboard', to: '/' }}>
      There is no page at this address.
    </EmptyState>
  ) : (
    <EmptyState title="Not available to your account" action={{ label: 'Go to the dashboard', to: '/' }}>
      Your role does not allow this page. Ask an admin if you need it.
    </EmptyState>
  );
}
