/** A choice of a few values (a chart's window, a bucket size) as pressed/unpressed buttons. */
export function Segmented<T extends string>({
  label,
  options,
  value,
  onChange,
  testId,
}: {
  /** Names the group for screen readers. */
  label: string;
  options: ReadonlyArray<{ value: T; label: string }>;
  value: T;
  onChange: (value: T) => void;
  testId?: string;
}) {
  return (
    <div role="group" aria-label={label} className="join" data-testid={testId}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          className={`btn join-item btn-sm ${option.value === value ? 'btn-primary' : ''}`}
          aria-pressed={option.value === value}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
