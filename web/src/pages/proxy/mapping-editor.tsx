import { useEffect, useId, useRef, useState } from 'react';
import { useStrings } from '../../i18n/i18n.tsx';
import type { MappingRule, ModelTestResult, ProxySettings } from './api.ts';
import { OverriddenNote, SettingsCard } from './fields.tsx';
import { MappingTest } from './mapping-test.tsx';
import { useSettingsDraft } from './settings-draft.ts';
import { mappingStrings } from './strings-mapping.ts';

/** A rule being edited; `key` keeps React's row identity (and the focus) through reordering. */
interface DraftRule extends MappingRule {
  key: number;
}

let nextKey = 0;
const withKeys = (rules: readonly MappingRule[]): DraftRule[] =>
  rules.map((rule) => ({ match: rule.match, target: rule.target, key: nextKey++ }));
const withoutKeys = (rules: readonly DraftRule[]): MappingRule[] =>
  rules.map(({ match, target }) => ({ match, target }));

function RuleRow({
  rule,
  index,
  count,
  matched,
  readOnly,
  listId,
  onChange,
  onMove,
  onDelete,
}: {
  rule: DraftRule;
  index: number;
  count: number;
  matched: boolean;
  readOnly: boolean;
  listId: string;
  onChange: (change: Partial<MappingRule>) => void;
  onMove: (step: -1 | 1) => void;
  onDelete: () => void;
}) {
  const t = useStrings(mappingStrings);
  const upRef = useRef<HTMLButtonElement>(null);
  const downRef = useRef<HTMLButtonElement>(null);
  const n = index + 1;
  // Keep the focus on the moved rule (a DOM move can drop it), on its other button once at either end.
  const moveBy = (step: -1 | 1) => {
    onMove(step);
    const to = index + step;
    const next = to === 0 ? downRef : to === count - 1 ? upRef : step < 0 ? upRef : downRef;
    requestAnimationFrame(() => next.current?.focus());
  };
  const matchEmpty = rule.match.trim() === '';
  const targetEmpty = rule.target.trim() === '';
  return (
    <li
      className={`grid grid-cols-[2rem_1fr] items-center gap-x-2 gap-y-1 rounded-box border p-2 sm:grid-cols-[2rem_1fr_auto_1fr_auto] ${
        matched ? 'border-success bg-success/10' : 'border-base-300'
      }`}
      data-testid="mapping-row"
      data-matched={matched ? 'true' : undefined}
    >
      <span className="text-center text-xs opacity-60" aria-hidden="true">
        {n}
      </span>
      <input
        className={`input input-sm w-full font-mono ${matchEmpty ? 'input-error' : ''}`}
        aria-label={t('rulePattern', { n })}
        placeholder="gpt-4*"
        value={rule.match}
        readOnly={readOnly}
        aria-invalid={matchEmpty}
        data-rule-input="match"
        onChange={(event) => onChange({ match: event.target.value })}
      />
      <span className="hidden text-center opacity-60 sm:block" aria-hidden="true">
        →
      </span>
      <input
        className={`input input-sm col-start-2 w-full font-mono sm:col-start-auto ${
          targetEmpty ? 'input-error' : ''
        }`}
        aria-label={t('ruleTarget', { n })}
        placeholder="gemini-3-flash"
        list={listId}
        value={rule.target}
        readOnly={readOnly}
        aria-invalid={targetEmpty}
        onChange={(event) => onChange({ target: event.target.value })}
      />
      {!readOnly && (
        <div className="col-start-2 flex justify-end gap-1 sm:col-start-auto">
          <button
            type="button"
            className="btn btn-ghost btn-sm btn-square"
            aria-label={t('moveUp', { n })}
            title={t('moveUp', { n })}
            ref={upRef}
            disabled={index === 0}
            onClick={() => moveBy(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm btn-square"
            aria-label={t('moveDown', { n })}
            title={t('moveDown', { n })}
            ref={downRef}
            disabled={index === count - 1}
            onClick={() => moveBy(1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm btn-square text-error"
            aria-label={t('deleteRule', { n })}
            title={t('deleteRule', { n })}
            onClick={onDelete}
          >
            ✕
          </button>
        </div>
      )}
    </li>
  );
}

/** `models.mapping`: ordered rules, first match wins (product.md §4); saved as a whole list. */
export function MappingEditor({
  settings,
  overridden,
  modelIds,
}: {
  settings: ProxySettings;
  overridden: ReadonlySet<string>;
  modelIds: readonly string[];
}) {
  const t = useStrings(mappingStrings);
  const form = useSettingsDraft(withKeys(settings.models.mapping), withoutKeys);
  const rules = form.draft;
  const readOnly = overridden.has('models.mapping');
  const listId = useId();
  const listRef = useRef<HTMLOListElement>(null);
  const [tested, setTested] = useState<{ result: ModelTestResult; rulesJson: string } | undefined>();
  const rulesJson = JSON.stringify(withoutKeys(rules));
  // A result belongs to the rules it was computed from; after an edit its row number may be wrong.
  const matchedIndex = tested?.rulesJson === rulesJson ? tested.result.ruleIndex : null;
  useEffect(() => {
    // The list scrolls on its own; bring the rule that decided the tested name into view.
    if (matchedIndex !== null) listRef.current?.children[matchedIndex]?.scrollIntoView({ block: 'nearest' });
  }, [matchedIndex]);
  const incomplete = rules.some((rule) => rule.match.trim() === '' || rule.target.trim() === '');

  const update = (index: number, change: Partial<MappingRule>) =>
    form.setDraft(rules.map((rule, i) => (i === index ? { ...rule, ...change } : rule)));

  const move = (index: number, step: -1 | 1) => {
    const next = [...rules];
    const [moved] = next.splice(index, 1);
    next.splice(index + step, 0, moved!);
    form.setDraft(next);
  };

  const remove = (index: number) => form.setDraft(rules.filter((_, i) => i !== index));

  const add = () => {
    form.setDraft([...rules, { match: '', target: '', key: nextKey++ }]);
    // Focus the new row's pattern once it is rendered, so typing can start at once.
    requestAnimationFrame(() => {
      const inputs = listRef.current?.querySelectorAll<HTMLInputElement>('input[data-rule-input="match"]');
      inputs?.[inputs.length - 1]?.focus();
    });
  };

  return (
    <SettingsCard
      title={t('mappingTitle')}
      description={t('mappingBody')}
      canSave={!incomplete && !readOnly}
      onSave={() =>
        form.save.mutate({
          models: {
            mapping: withoutKeys(rules).map((rule) => ({
              match: rule.match.trim(),
              target: rule.target.trim(),
            })),
          },
        })
      }
      {...form.card}
      testId="mapping-editor"
    >
      {readOnly && (
        <div className="flex items-center gap-2 text-sm">
          <OverriddenNote />
          {t('mappingReadOnly')}
        </div>
      )}
      <MappingTest
        rules={withoutKeys(rules)}
        incomplete={incomplete}
        onResult={(result) => setTested({ result, rulesJson })}
      />
      {rules.length === 0 ? (
        <p className="rounded-box border border-dashed border-base-300 p-4 text-center text-sm opacity-70">
          {t('mappingEmpty')}
        </p>
      ) : (
        <ol
          ref={listRef}
          className="max-h-[36rem] space-y-2 overflow-y-auto overscroll-contain p-0.5"
          aria-label={t('mappingTitle')}
          data-testid="mapping-rules"
        >
          {rules.map((rule, index) => (
            <RuleRow
              key={rule.key}
              rule={rule}
              index={index}
              count={rules.length}
              matched={matchedIndex === index}
              readOnly={readOnly}
              listId={listId}
              onChange={(change) => update(index, change)}
              onMove={(step) => move(index, step)}
              onDelete={() => remove(index)}
            />
          ))}
        </ol>
      )}
      <datalist id={listId}>
        {modelIds.map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
      {incomplete && <p className="text-sm text-error">{t('mappingIncomplete')}</p>}
      {!readOnly && (
        <div>
          <button type="button" className="btn btn-outline btn-sm" onClick={add}>
            {t('addRule')}
          </button>
        </div>
      )}
    </SettingsCard>
  );
}
