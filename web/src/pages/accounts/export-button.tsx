import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { dialogStrings } from './dialog-strings.ts';
import { accountStrings } from './strings.ts';

/** Saves the export document as a file the browser downloads; nothing stays in the page. */
async function downloadExport(): Promise<void> {
  const document_ = await get<unknown>('/api/accounts/export');
  const blob = new Blob([JSON.stringify(document_, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `better-manager-accounts-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download; the URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Export, behind a confirmation that says the file holds refresh tokens. */
export function ExportButton({ accountCount }: { accountCount: number }) {
  const t = useStrings(dialogStrings);
  const ta = useStrings(accountStrings);
  const [open, setOpen] = useState(false);
  const exporting = useMutation({ mutationFn: downloadExport, onSuccess: () => setOpen(false) });
  return (
    <>
      <button
        type="button"
        className="btn btn-sm"
        disabled={accountCount === 0}
        onClick={() => {
          exporting.reset();
          setOpen(true);
        }}
      >
        {ta('export')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('exportTitle')}
        body={t('exportBody', { n: accountCount })}
        confirmLabel={t('exportConfirm')}
        danger={false}
        busy={exporting.isPending}
        error={exporting.error}
        onConfirm={() => exporting.mutate()}
        onCancel={() => setOpen(false)}
      />
    </>
  );
}
