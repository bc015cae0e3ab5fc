import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ErrorAlert } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { testModel, type MappingRule, type ModelTestResult } from './api.ts';
import { mappingStrings } from './strings-mapping.ts';

function TestResult({ result }: { result: ModelTestResult }) {
  const t = useStrings(mappingStrings);
  return (
    <div
      className={`rounded-box border p-3 text-sm ${result.known ? 'border-success/50' : 'border-warning'}`}
      data-testid="mapping-test-result"
      aria-live="polite"
    >
      <div className="flex flex-wrap items-center gap-2 font-medium">
        <code className="break-all">{result.requested}</code>
        <span aria-hidden="true">→</span>
        <span className="sr-only">{t('goesTo')}</span>
        <code className="break-all" data-testid="mapping-test-upstream">
          {result.upstream}
        </code>
      </div>
      <div className="mt-1" data-testid="mapping-test-rule">
        {result.ruleIndex !== null
          ? t('matchedRule', { n: result.ruleIndex + 1, rule: result.rule ?? '' })
          : t('noRule')}
      </div>
      {result.description && <div className="mt-1 opacity-70">{result.description}</div>}
      {!result.known && (
        <div role="alert" className="alert alert-warning alert-soft mt-2 py-2 text-sm">
          {t('unknownUpstream', { model: result.upstream })}
        </div>
      )}
    </div>
  );
}

/** "Test a model name" against the rules on screen, saved or not (POST /api/models/test). */
export function MappingTest({
  rules,
  incomplete,
  onResult,
}: {
  rules: MappingRule[];
  incomplete: boolean;
  onResult: (result: ModelTestResult) => void;
}) {
  const t = useStrings(mappingStrings);
  const inputId = useId();
  const [name, setName] = useState('');
  const test = useMutation({
    mutationFn: (model: string) => testModel(model, rules),
    onSuccess: onResult,
  });
  const trimmed = name.trim();
  const disabled = trimmed === '' || incomplete || test.isPending;
  const run = () => {
    if (!disabled) test.mutate(trimmed);
  };

  return (
    <div className="rounded-box bg-base-200 p-3">
      <label htmlFor={inputId} className="mb-1 block text-sm font-medium">
        {t('testLabel')}
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={inputId}
          className="input input-sm min-w-0 flex-1 font-mono"
          placeholder="gpt-4o"
          value={name}
          data-testid="mapping-test-input"
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            // This field sits inside the mapping's save form: Enter tests instead of saving.
            if (event.key !== 'Enter') return;
            event.preventDefault();
            run();
          }}
        />
        <button type="button" className="btn btn-sm btn-secondary" disabled={disabled} onClick={run}>
          {test.isPending && <span className="loading loading-spinner loading-xs" />}
          {t('testButton')}
        </button>
      </div>
      <p className="mt-1 text-xs opacity-70">{incomplete ? t('testIncomplete') : t('testHint')}</p>
      <div className="mt-2 empty:hidden">
        {test.error && <ErrorAlert error={test.error} />}
        {test.data && !test.error && <TestResult result={test.data} />}
      </div>
    </div>
  );
}
