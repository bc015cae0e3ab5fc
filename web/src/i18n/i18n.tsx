import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Language = 'en' | 'zh-CN';
export const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];

/**
 * One module's strings in every language. The Chinese table must have exactly the English keys,
 * so a string missing in one language is a type error, not a blank on screen.
 * `{name}` in a string is replaced by the value of `name`.
 */
export type Strings<K extends string> = { en: Record<K, string>; 'zh-CN': Record<K, string> };

export function defineStrings<K extends string>(en: Record<K, string>, zh: Record<K, string>): Strings<K> {
  return { en, 'zh-CN': zh };
}

export type Translate<K extends string> = (key: K, values?: Record<string, string | number>) => string;

interface LanguageContext {
  language: Language;
  /** The user's choice: applied at once and remembered in this browser. */
  setLanguage: (language: Language) => void;
  /** The server's saved language, taken only while this browser has no choice of its own. */
  adoptLanguage: (language: Language) => void;
}

const STORAGE_KEY = 'bm.language';
const Context = createContext<LanguageContext>({
  language: 'en',
  setLanguage: () => {},
  adoptLanguage: () => {},
});

function storedLanguage(): Language | undefined {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : undefined;
}

function initialLanguage(): Language {
  return storedLanguage() ?? (navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');
}

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const adoptLanguage = useCallback((next: Language) => {
    if (storedLanguage() === undefined) setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo(
    () => ({ language, setLanguage, adoptLanguage }),
    [language, setLanguage, adoptLanguage],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useLanguage(): LanguageContext {
  return useContext(Context);
}

function fill(text: string, values?: Record<string, string | number>): string {
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The translate function of one module's strings, in the current language; re-renders on a switch. */
export function useStrings<K extends string>(strings: Strings<K>): Translate<K> {
  const { language } = useLanguage();
  return useCallback(
    (key: K, values?: Record<string, string | number>) =>
      fill(strings[language][key] ?? strings.en[key], values),
    [strings, language],
  );
}
