import type { ReactNode } from 'react';

/** One card of the Settings page. */
export function SettingsCard({
  title,
  body,
  testId,
  children,
}: {
  title: string;
  body?: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <section className="card bg-base-100 shadow-sm" data-testid={testId} aria-label={title}>
      <div className="card-body gap-4 p-4 sm:p-6">
        <div>
          <h2 className="card-title text-lg">{title}</h2>
          {body && <p className="mt-1 text-sm opacity-70">{body}</p>}
        </div>
        {children}
      </div>
    </section>
  );
}
