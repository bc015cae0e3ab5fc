import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Theme = 'light' | 'dark' | 'system';
const STORAGE_KEY = 'bm.theme';

interface ThemeContext {
  theme: Theme;
  /** The user's choice: applied at once and remembered in this browser. */
  setTheme: (theme: Theme) => void;
  /** The server's saved theme, taken only while this browser has no choice of its own. */
  adoptTheme: (theme: Theme) => void;
}
const Context = createContext<ThemeContext>({ theme: 'system', setTheme: () => {}, adoptTheme: () => {} });

function storedTheme(): Theme | undefined {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'light' || stored === 'dark' || stored === 'system' ? stored : undefined;
}

/** daisyUI reads `data-theme`; `system` leaves it off so the `prefersdark` theme follows the OS. */
function apply(theme: Theme) {
  if (theme === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', theme);
}

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [theme, setThemeState] = useState<Theme>(() => storedTheme() ?? 'system');
  const setTheme = useCallback((next: Theme) => {
    localStorage.setItem(STORAGE_KEY, next);
    setThemeState(next);
  }, []);
  const adoptTheme = useCallback((next: Theme) => {
    if (storedTheme() === undefined) setThemeState(next);
  }, []);
  useEffect(() => apply(theme), [theme]);
  const value = useMemo(() => ({ theme, setTheme, adoptTheme }), [theme, setTheme, adoptTheme]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useTheme(): ThemeContext {
  return useContext(Context);
}

/** Whether the page is dark now, for charts that draw their own colours. */
export function useIsDark(): boolean {
  const { theme } = useTheme();
  const [systemDark, setSystemDark] = useState(() => matchMedia('(prefers-color-scheme: dark)').matches);
  useEffect(() => {
    const query = matchMedia('(prefers-color-scheme: dark)');
    const listener = () => setSystemDark(query.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);
  return theme === 'dark' || (theme === 'system' && systemDark);
}
