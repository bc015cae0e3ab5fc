import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { prefetchAppQueries } from './api/app-queries.ts';
import { LanguageProvider } from './i18n/i18n.tsx';
import { ThemeProvider } from './theme.tsx';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not heal by asking again; a network blip may.
      retry: (count, error) => count < 2 && !('status' in error && Number(error.status) >= 400),
      refetchOnWindowFocus: true,
    },
  },
});

prefetchAppQueries(queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LanguageProvider>
        <ThemeProvider>
          <App />
        </ThemeProvider>
      </LanguageProvider>
    </QueryClientProvider>
  </StrictMode>,
);
