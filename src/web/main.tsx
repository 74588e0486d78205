/** Entry point: i18n, the query cache, the router, who is signed in, and the routes. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import './app/i18n';
import './app/styles/main.css';
import { isApiError } from './app/api';
import { AuthProvider } from './app/auth';
import { Loading } from './app/components';
import { AppRoutes } from './app/routes';
import { ErrorBoundary, Unavailable } from './app/ErrorBoundary';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A refused request will be refused again; a dropped connection may not be.
      retry: (count, err) => count < 2 && !(isApiError(err) && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AuthProvider fallback={<Loading />} unavailable={(retry) => <Unavailable retry={retry} />}>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </ErrorBoundary>
  </StrictMode>,
);
