import type { ReactNode } from 'react';

/** A labelled password input; `autoComplete` tells a password manager which one it is. */
export function PasswordField({
  id,
  label,
  value,
  autoComplete,
  hint,
  invalid,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  autoComplete: 'current-password' | 'new-password';
  hint?: ReactNode;
  invalid?: string;
  onChange: (value: string) => void;
}) {
  const described = invalid || hint ? `${id}-hint` : undefined;
  return (
    <div className="fieldset">
      <label htmlFor={id} className="fieldset-legend">
        {label}
      </label>
      <input
        id={id}
        type="password"
        className={`input w-full max-w-sm ${invalid ? 'input-error' : ''}`}
        autoComplete={autoComplete}
        maxLength={1024}
        value={value}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={described}
        onChange={(event) => onChange(event.target.value)}
      />
      {described && (
        <p id={described} className={`label whitespace-normal ${invalid ? 'text-error' : ''}`}>
          {invalid ?? hint}
        </p>
      )}
    </div>
  );
}
