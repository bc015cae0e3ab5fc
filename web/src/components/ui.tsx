import { useEffect, useRef, useState, type ReactNode } from 'react';
import { errorText } from '../api/client.ts';
import { useStrings } from '../i18n/i18n.tsx';
import { common } from '../strings.ts';

/** Copies `text` and says so for two seconds. */
export function CopyButton({
  text,
  label,
  className = '',
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const t = useStrings(common);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without clipboard access (plain http on another host) fall back to a selection copy.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
  };
  return (
    <button
      type="button"
      className={`btn btn-sm ${className}`}
      onClick={() => void copy()}
      aria-live="polite"
    >
      {copied ? t('copied') : (label ?? t('copy'))}
    </button>
  );
}

/** A failure in words, with a retry when the caller has one. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useStrings(common);
  return (
    <div role="alert" className="alert alert-error alert-soft">
      <div>
        <div className="font-semibold">{t('errorTitle')}</div>
        <div className="text-sm">{errorText(error)}</div>
      </div>
      {onRetry && (
        <button type="button" className="btn btn-sm" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const t = useStrings(common);
  return (
    <div className="flex items-center gap-2 p-6 opacity-70" role="status">
      <span className="loading loading-spinner loading-sm" />
      {label ?? t('loading')}
    </div>
  );
}

/** An empty state says what there is to do next. */
export function EmptyState({ title, body, action }: { title: string; body: string; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-box border border-dashed border-base-300 p-8 text-center">
      <div className="font-semibold">{title}</div>
      <p className="max-w-md text-sm opacity-70">{body}</p>
      {action}
    </div>
  );
}

/** A native <dialog>: focus is trapped and Escape closes it, so it is keyboard reachable for free. */
export function Modal({
  open,
  onClose,
  title,
  children,
  actions,
  wide = false,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  wide?: boolean;
}) {
  const t = useStrings(common);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="modal" onClose={onClose} aria-label={title}>
      <div className={`modal-box ${wide ? 'max-w-3xl' : ''}`}>
        <h3 className="mb-3 text-lg font-bold">{title}</h3>
        {children}
        {actions && <div className="modal-action">{actions}</div>}
      </div>
      <form method="dialog" className="modal-backdrop">
        {/* For a click outside the box; the keyboard closes with Escape, so it takes no tab stop. */}
        <button type="submit" tabIndex={-1} aria-label={t('closeDialog')}>
          {t('closeDialog')}
        </button>
      </form>
    </dialog>
  );
}

/** Asks before a destructive action; the action's own error is shown in the dialog. */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  danger = true,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useStrings(common);
  return (
    <Modal
      open={open}
      onClose={onCancel}
      title={title}
      actions={
        <>
          <button type="button" className="btn" onClick={onCancel}>
            {t('cancel')}
          </button>
          <button
            type="button"
            className={`btn ${danger ? 'btn-error' : 'btn-primary'}`}
            disabled={busy}
            onClick={onConfirm}
          >
            {busy && <span className="loading loading-spinner loading-xs" />}
            {confirmLabel}
          </button>
        </>
      }
    >
      <div className="text-sm">{body}</div>
      {error !== undefined && error !== null && (
        <div className="mt-3">
          <ErrorAlert error={error} />
        </div>
      )}
    </Modal>
  );
}

/** Page heading with optional actions on the right; wraps on a phone. */
export function PageHeader({ title, actions }: { title: string; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
      <h1 className="text-2xl font-bold">{title}</h1>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}
