import { useId, useState, type KeyboardEvent } from 'react';
import { CopyButton } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { CLIENT_TABS, snippetsFor, type ClientTab } from './snippets.ts';
import { proxyStrings } from './strings.ts';

/** Shown in place of a key until the user creates one here; any value works while no key is configured. */
export const KEY_PLACEHOLDER = 'your-api-key';

/** Models a snippet works with on a fresh pool, best first; the accounts' own list decides. */
const PREFERRED_MODELS = ['gemini-3-flash', 'claude-sonnet-4-6', 'gemini-pro-agent'];

export function defaultSnippetModel(modelIds: readonly string[]): string {
  return PREFERRED_MODELS.find((id) => modelIds.includes(id)) ?? modelIds[0] ?? 'gemini-3-flash';
}

export function SnippetsPanel({
  origin,
  apiKey,
  modelIds,
}: {
  origin: string;
  /** The key created on this page a moment ago, if any (it is never readable again). */
  apiKey: string | undefined;
  modelIds: readonly string[];
}) {
  const t = useStrings(proxyStrings);
  const [tab, setTab] = useState<ClientTab>('claude-code');
  const [chosenModel, setChosenModel] = useState<string | undefined>();
  const model = chosenModel ?? defaultSnippetModel(modelIds);
  const baseId = useId();
  const snippets = snippetsFor(tab, { origin, key: apiKey ?? KEY_PLACEHOLDER, model });

  // Arrow keys move between tabs, as in every tab list (WAI-ARIA); Tab goes on into the panel.
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = CLIENT_TABS[(CLIENT_TABS.indexOf(tab) + step + CLIENT_TABS.length) % CLIENT_TABS.length]!;
    setTab(next);
    document.getElementById(`${baseId}-tab-${next}`)?.focus();
  };

  return (
    <section className="card bg-base-100 shadow-sm" aria-labelledby={`${baseId}-title`}>
      <div className="card-body gap-3 p-4 sm:p-6">
        <h2 id={`${baseId}-title`} className="card-title">
          {t('snippetsTitle')}
        </h2>
        <p className="text-sm opacity-70">{apiKey ? t('snippetsWithNewKey') : t('snippetsPlaceholder')}</p>
        <label className="flex flex-wrap items-center gap-2 text-sm">
          <span>{t('snippetModel')}</span>
          <select
            className="select select-sm w-auto max-w-full"
            value={model}
            onChange={(event) => setChosenModel(event.target.value)}
          >
            {(modelIds.includes(model) ? modelIds : [model, ...modelIds]).map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <div className="overflow-x-auto">
          <div role="tablist" aria-label={t('snippetsTitle')} className="tabs tabs-box w-max flex-nowrap">
            {CLIENT_TABS.map((id) => (
              <button
                key={id}
                id={`${baseId}-tab-${id}`}
                type="button"
                role="tab"
                aria-selected={tab === id}
                aria-controls={`${baseId}-panel`}
                tabIndex={tab === id ? 0 : -1}
                className={`tab whitespace-nowrap ${tab === id ? 'tab-active' : ''}`}
                onClick={() => setTab(id)}
                onKeyDown={onTabKey}
              >
                {t(`tab_${id}`)}
              </button>
            ))}
          </div>
        </div>
        <div
          id={`${baseId}-panel`}
          role="tabpanel"
          aria-labelledby={`${baseId}-tab-${tab}`}
          className="space-y-3"
          data-testid="snippet-panel"
        >
          <p className="text-sm">{t(`tabHint_${tab}`)}</p>
          {snippets.map((snippet) => (
            <div key={snippet.id} className="rounded-box border border-base-300">
              <div className="flex items-center justify-between gap-2 border-b border-base-300 px-3 py-1.5">
                <span className="text-sm font-medium">{snippet.title}</span>
                <CopyButton text={snippet.code} className="btn-ghost" />
              </div>
              <pre
                className="overflow-x-auto bg-base-200 p-3 text-xs leading-relaxed"
                data-testid={`snippet-${snippet.id}`}
              >
                <code>{snippet.code}</code>
              </pre>
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}
