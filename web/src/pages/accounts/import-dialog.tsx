import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { post } from '../../api/client.ts';
import { ErrorAlert, Modal } from '../../components/ui.tsx';
import { useStrings, type Translate } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import { dialogStrings } from './dialog-strings.ts';
import { planImport, type ImportPlan, type ImportSource } from './import-text.ts';
import { ACCOUNTS_KEY } from './queries.ts';
import type { ImportResponse, ImportResult } from './types.ts';

type DialogKey = keyof (typeof dialogStrings)['en'];

const OUTCOME_STYLE: Record<ImportResult['outcome'], { badge: string; key: DialogKey }> = {
  created: { badge: 'badge-success', key: 'outcomeCreated' },
  updated: { badge: 'badge-info', key: 'outcomeUpdated' },
  failed: { badge: 'badge-error', key: 'outcomeFailed' },
};

function planText(t: Translate<DialogKey>, plan: ImportPlan): string {
  if (plan.ok) return t('importReady', { n: plan.labels.length });
  if (plan.problem === 'empty') return t('importEmpty');
  return t('importBadJson', { source: plan.source, detail: plan.detail });
}

function ResultTable({ response, labels }: { response: ImportResponse; labels: string[] }) {
  const t = useStrings(dialogStrings);
  return (
    <div className="flex flex-col gap-2">
      <div role="status" className="font-semibold" data-testid="import-summary">
        {t('importSummary', {
          created: response.created,
          updated: response.updated,
          failed: response.failed,
        })}
      </div>
      <div className="max-h-72 overflow-auto rounded-box border border-base-300">
        <table className="table table-sm">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('colEntry')}</th>
              <th>{t('colOutcome')}</th>
              <th>{t('colDetail')}</th>
            </tr>
          </thead>
          <tbody>
            {response.results.map((result) => {
              const style = OUTCOME_STYLE[result.outcome];
              return (
                <tr key={result.index} data-testid="import-result" data-outcome={result.outcome}>
                  <td>{result.index + 1}</td>
                  <td className="font-mono text-xs whitespace-nowrap">{labels[result.index] ?? ''}</td>
                  <td>
                    <span className={`badge badge-sm badge-soft ${style.badge}`}>{t(style.key)}</span>
                  </td>
                  <td className="text-xs break-words">
                    {result.outcome === 'failed' ? (result.error ?? '') : (result.email ?? '')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Import by paste or by files: every entry verified by the server, every outcome listed. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const t = useStrings(dialogStrings);
  const tc = useStrings(common);
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<ImportSource[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const [sentLabels, setSentLabels] = useState<string[]>([]);
  const plan = planImport([{ name: t('importPasted'), text }, ...files]);
  const importing = useMutation({
    mutationFn: (body: unknown) => post<ImportResponse>('/api/accounts/import', body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ACCOUNTS_KEY }),
  });

  const pickFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = [...(event.target.files ?? [])];
    // Cleared so that picking the same file again after removing it still fires a change.
    event.target.value = '';
    setFileError(null);
    for (const file of picked) {
      try {
        const content = await file.text();
        setFiles((current) => [
          ...current.filter((item) => item.name !== file.name),
          { name: file.name, text: content },
        ]);
      } catch (error) {
        setFileError(t('importFileUnreadable', { name: file.name, reason: (error as Error).message }));
      }
    }
  };
  const submit = () => {
    if (!plan.ok) return;
    setSentLabels(plan.labels);
    importing.mutate(plan.body);
  };
  const reset = () => {
    importing.reset();
    setText('');
    setFiles([]);
  };

  const result = importing.data;
  return (
    <Modal
      open
      onClose={onClose}
      title={t('importTitle')}
      wide
      actions={
        <>
          {result && (
            <button type="button" className="btn" onClick={reset}>
              {t('importMore')}
            </button>
          )}
          <button type="button" className="btn" onClick={onClose}>
            {result ? t('done') : tc('cancel')}
          </button>
          {!result && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={!plan.ok || importing.isPending}
              onClick={submit}
              data-testid="import-submit"
            >
              {importing.isPending && <span className="loading loading-spinner loading-xs" />}
              {t('importSubmit')}
            </button>
          )}
        </>
      }
    >
      <div className="flex flex-col gap-3" data-testid="import-dialog">
        {result ? (
          <ResultTable response={result} labels={sentLabels} />
        ) : (
          <>
            <p className="text-sm opacity-80">{t('importBody')}</p>
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium">{t('importPasteLabel')}</span>
              <textarea
                className="textarea h-36 w-full font-mono text-xs"
                placeholder={t('importPastePlaceholder')}
                value={text}
                disabled={importing.isPending}
                onChange={(event) => setText(event.target.value)}
                data-testid="import-text"
              />
            </label>
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium">{t('importFiles')}</span>
              <input
                type="file"
                multiple
                accept=".json,.txt,application/json,text/plain"
                className="file-input file-input-sm w-full"
                disabled={importing.isPending}
                onChange={(event) => void pickFiles(event)}
                data-testid="import-files"
              />
            </label>
            {files.length > 0 && (
              <ul className="flex flex-wrap gap-2">
                {files.map((file) => (
                  <li key={file.name} className="badge badge-outline gap-1">
                    {file.name}
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs"
                      aria-label={t('importRemoveFile', { name: file.name })}
                      onClick={() => setFiles((current) => current.filter((item) => item.name !== file.name))}
                    >
                      ✕
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {fileError && <ErrorAlert error={new Error(fileError)} />}
            <div
              className={`text-sm ${!plan.ok && plan.problem === 'badJson' ? 'text-error' : 'opacity-70'}`}
              data-testid="import-plan"
            >
              {planText(t, plan)}
            </div>
            {importing.isPending && plan.ok && (
              <div role="status" className="flex items-center gap-2 text-sm">
                <span className="loading loading-spinner loading-sm" />
                {t('importRunning', { n: plan.labels.length })}
              </div>
            )}
            {importing.error && <ErrorAlert error={importing.error} />}
          </>
        )}
      </div>
    </Modal>
  );
}
