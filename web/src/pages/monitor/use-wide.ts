import { useEffect, useState } from 'react';

const WIDE = '(min-width: 768px)';

/** Whether the screen has room for the log table; phones get cards instead (one of them, not both hidden in CSS). */
export function useWide(): boolean {
  const [wide, setWide] = useState(() => matchMedia(WIDE).matches);
  useEffect(() => {
    const query = matchMedia(WIDE);
    const listener = () => setWide(query.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);
  return wide;
}
