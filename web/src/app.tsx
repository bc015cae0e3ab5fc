import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { onUnauthorized, post } from './api/client.ts';
import { useAuthStatus, useConfig, type ConfigView } from './api/app-queries.ts';
import { LiveEventsProvider, useLiveEvents } from './api/events.tsx';
import { ErrorAlert, Loading } from './components/ui.tsx';
import { useLanguage, useStrings } from './i18n/i18n.tsx';
import { LoginPage } from './login.tsx';
import { common } from './strings.ts';
import { useTheme } from './theme.tsx';

/**
 * Each page is its own chunk: the first load carries only the frame and the page it opens. The
 * opened page's chunk is asked for at once, while the sign-in status is still on its way, rather
 * than after it (one round trip less before the first page shows).
 */
function page<K extends string>(path: string, load: () => Promise<Record<K, ComponentType>>, name: K) {
  const opened = window.location.pathname.replace(/\/+$/, '') || '/';
  const early = opened === path ? load() : undefined;
  return lazy(async () => ({ default: (await (early ?? load()))[name] }));
}
const DashboardPage = page('/', () => import('./pages/dashboard/page.tsx'), 'DashboardPage');
const AccountsPage = page('/accounts', () => import('./pages/accounts/page.tsx'), 'AccountsPage');
const ProxyPage = page('/proxy', () => import('./pages/proxy/page.tsx'), 'ProxyPage');
const MonitorPage = page('/monitor', () => import('./pages/monitor/page.tsx'), 'MonitorPage');
const SettingsPage = page('/settings', () => import('./pages/settings/page.tsx'), 'SettingsPage');

const NAV = [
  { href: '/', key: 'navDashboard' },
  { href: '/accounts', key: 'navAccounts' },
  { href: '/proxy', key: 'navProxy' },
  { href: '/monitor', key: 'navMonitor' },
  { href: '/settings', key: 'navSettings' },
] as const;

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const t = useStrings(common);
  const [location] = useLocation();
  return (
    <>
      {NAV.map((item) => {
        const active = item.href === '/' ? location === '/' : location.startsWith(item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              className={active ? 'menu-active' : ''}
              aria-current={active ? 'page' : undefined}
              onClick={onNavigate}
            >
              {t(item.key)}
            </Link>
          </li>
        );
      })}
    </>
  );
}

function LiveBadge() {
  const t = useStrings(common);
  const { connected } = useLiveEvents();
  return (
    <span
      className={`badge badge-sm ${connected ? 'badge-success' : 'badge-warning'}`}
      data-testid="live-status"
    >
      {connected ? t('liveConnected') : t('liveDisconnected')}
    </span>
  );
}

function NotFound() {
  const t = useStrings(common);
  return (
    <div className="p-6">
      <h1 className="text-2xl font-bold">{t('notFoundTitle')}</h1>
      <p className="mt-2 opacity-70">{t('notFoundBody')}</p>
    </div>
  );
}

/**
 * A browser that has not chosen a language or theme itself follows the ones saved on the server
 * (Settings page), also when another browser changes them while this one is open.
 */
function useServerPreferences(ui: ConfigView['settings']['ui'] | undefined) {
  const { adoptLanguage } = useLanguage();
  const { adoptTheme } = useTheme();
  const language = ui?.language;
  const theme = ui?.theme;
  useEffect(() => {
    if (language) adoptLanguage(language);
  }, [language, adoptLanguage]);
  useEffect(() => {
    if (theme) adoptTheme(theme);
  }, [theme, adoptTheme]);
}

function Shell({ passwordRequired }: { passwordRequired: boolean }) {
  const t = useStrings(common);
  const config = useConfig();
  useServerPreferences(config.data?.settings.ui);
  const queryClient = useQueryClient();
  const [menuOpen, setMenuOpen] = useState(false);
  const logout = useMutation({
    mutationFn: () => post('/api/auth/logout'),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  return (
    <LiveEventsProvider>
      <div className="min-h-screen bg-base-200">
        {config.data?.demo && (
          <div
            role="note"
            className="bg-warning px-4 py-1.5 text-center text-sm text-warning-content"
            data-testid="demo-banner"
          >
            {t('demoBanner')}
          </div>
        )}
        <header className="navbar sticky top-0 z-20 gap-2 border-b border-base-300 bg-base-100 px-2 sm:px-4">
          <div className="dropdown lg:hidden">
            <button
              type="button"
              className="btn btn-square btn-ghost"
              aria-label={t('openMenu')}
              aria-expanded={menuOpen}
              onClick={() => setMenuOpen((open) => !open)}
            >
              <svg
                width="20"
                height="20"
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                aria-hidden="true"
              >
                <path d="M4 6h16M4 12h16M4 18h16" />
              </svg>
            </button>
            {menuOpen && (
              <ul className="menu dropdown-content z-30 mt-2 w-52 rounded-box bg-base-100 p-2 shadow">
                <NavLinks onNavigate={() => setMenuOpen(false)} />
              </ul>
            )}
          </div>
          <Link href="/" className="text-lg font-bold whitespace-nowrap">
            {t('appName')}
          </Link>
          <nav className="hidden flex-1 lg:flex" aria-label={t('navMain')}>
            <ul className="menu menu-horizontal gap-1 px-2">
              <NavLinks />
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <LiveBadge />
            {passwordRequired && (
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => logout.mutate()}>
                {t('signOut')}
              </button>
            )}
          </div>
        </header>
        <main className="mx-auto max-w-7xl p-3 sm:p-6">
          <Suspense fallback={<Loading />}>
            <Switch>
              <Route path="/" component={DashboardPage} />
              <Route path="/accounts" component={AccountsPage} />
              <Route path="/proxy" component={ProxyPage} />
              <Route path="/monitor" component={MonitorPage} />
              <Route path="/settings" component={SettingsPage} />
              <Route component={NotFound} />
            </Switch>
          </Suspense>
        </main>
      </div>
    </LiveEventsProvider>
  );
}

export function App() {
  const auth = useAuthStatus();
  const queryClient = useQueryClient();
  useEffect(
    () => onUnauthorized(() => void queryClient.invalidateQueries({ queryKey: ['auth'] })),
    [queryClient],
  );
  if (auth.isPending) return <Loading />;
  if (auth.error) {
    return (
      <div className="p-6">
        <ErrorAlert error={auth.error} onRetry={() => void auth.refetch()} />
      </div>
    );
  }
  if (auth.data.passwordRequired && !auth.data.signedIn) return <LoginPage />;
  return <Shell passwordRequired={auth.data.passwordRequired} />;
}
