import type { ReactNode } from 'react';
import { useConfig } from '../../api/app-queries.ts';
import { duration } from '../../components/charts/format.ts';
import { CopyButton, ErrorAlert, Loading, Modal } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import { useLogDetail } from './queries.ts';
import { statusTone, type KeyNamer } from './row-format.ts';
import { monitorStrings } from './strings.ts';
import type { LogDetail } from './types.ts';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-xs opacity-70 sm:text-sm">{label}</dt>
      <dd className="min-w-0 text-sm break-words">{children}</dd>
    </div>
  );
}

function Body({ title, text }: { title: string; text: string }) {
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center justify-between">
        <h4 className="text-sm font-semibold">{title}</h4>
        <CopyButton text={text} className="btn-xs" />
      </div>
      <pre className="max-h-64 overflow-auto rounded bg-base-200 p-2 text-xs whitespace-pre-wrap">{text}</pre>
    </div>
  );
}

function Bodies({ row }: { row: LogDetail }) {
  const t = useStrings(monitorStrings);
  const config = useConfig();
  const logging = config.data?.settings.logging as { bodies?: boolean } | undefined;
  if (row.requestBody === undefined && row.responseBody === undefined) {
    return (
      <p className="text-sm opacity-70" data-testid="bodies-note">
        {logging?.bodies ? t('bodiesMissing') : t('bodiesOff')}
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      {row.requestBody !== undefined && <Body title={t('requestBody')} text={row.requestBody} />}
      {row.responseBody !== undefined && <Body title={t('responseBody')} text={row.responseBody} />}
    </div>
  );
}

function DetailBody({ row, keyName }: { row: LogDetail; keyName: KeyNamer }) {
  const t = useStrings(monitorStrings);
  const tokens = (value: number | undefined) => (value === undefined ? '-' : String(value));
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-4 gap-y-1" data-testid="log-detail-fields">
        <Field label={t('fieldTime')}>{new Date(row.createdAt).toLocaleString()}</Field>
        <Field label={t('fieldProtocol')}>{row.protocol}</Field>
        <Field label={t('fieldRoute')}>
          <code className="text-xs">{row.route}</code>
        </Field>
        <Field label={t('fieldKey')}>{keyName(row) ?? t('noKey')}</Field>
        {row.clientKey && <Field label={t('fieldMaskedKey')}>{row.clientKey}</Field>}
        {row.keyId && <Field label={t('fieldKeyId')}>{row.keyId}</Field>}
        <Field label={t('fieldRequested')}>{row.requestedModel ?? '-'}</Field>
        <Field label={t('fieldMapped')}>{row.mappedModel ?? '-'}</Field>
        <Field label={t('fieldRule')}>{row.mappingRule ?? '-'}</Field>
        <Field label={t('fieldRouted')}>{row.routed ? t('yes') : t('no')}</Field>
        <Field label={t('fieldAccount')}>{row.accountEmail ?? '-'}</Field>
        <Field label={t('fieldSession')}>
          <code className="text-xs">{row.sessionHash ?? '-'}</code>
        </Field>
        <Field label={t('fieldStatus')}>
          <span className={`badge badge-sm ${statusTone(row.status)}`}>{row.status}</span>
        </Field>
        {(row.errorClass || row.errorMessage) && (
          <Field label={t('fieldError')}>
            {row.errorClass && <code className="mr-1 text-xs">{row.errorClass}</code>}
            {row.errorMessage}
          </Field>
        )}
        <Field label={t('fieldLatency')}>{duration(row.latencyMs)}</Field>
        <Field label={t('fieldFirstByte')}>{duration(row.firstByteMs)}</Field>
        <Field label={t('fieldStream')}>{row.stream ? t('yes') : t('no')}</Field>
        <Field label={t('fieldTokens')}>
          {t('tokensDetail', {
            input: tokens(row.inputTokens),
            output: tokens(row.outputTokens),
            thinking: tokens(row.thinkingTokens),
            cached: tokens(row.cachedTokens),
          })}
        </Field>
      </dl>
      <section>
        <h4 className="mb-1 font-semibold">{t('attemptsTitle')}</h4>
        {row.attempts.length === 0 ? (
          <p className="text-sm opacity-70">{t('attemptsNone')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="table table-xs" data-testid="log-attempts">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('attemptAccount')}</th>
                  <th>{t('attemptStatus')}</th>
                  <th>{t('attemptError')}</th>
                  <th className="text-right">{t('attemptTime')}</th>
                </tr>
              </thead>
              <tbody>
                {row.attempts.map((attempt, index) => (
                  <tr key={index} data-testid="log-attempt">
                    <td>{index + 1}</td>
                    <td className="break-all">{attempt.email}</td>
                    <td>
                      <span className={`badge badge-xs ${statusTone(attempt.status)}`}>{attempt.status}</span>
                    </td>
                    <td>{attempt.errorClass ?? '-'}</td>
                    <td className="text-right tabular-nums">{duration(attempt.ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section>
        <h4 className="mb-1 font-semibold">{t('bodiesTitle')}</h4>
        <Bodies row={row} />
      </section>
    </div>
  );
}

/** One request's every field, its attempts and (when body logging is on) its bodies. */
export function LogDetailDialog({
  id,
  keyName,
  onClose,
}: {
  id: number | null;
  keyName: KeyNamer;
  onClose: () => void;
}) {
  const t = useStrings(monitorStrings);
  const tc = useStrings(common);
  const detail = useLogDetail(id);
  return (
    <Modal
      open={id !== null}
      onClose={onClose}
      title={t('detailTitle', { id: id ?? '' })}
      wide
      actions={
        <button type="button" className="btn" onClick={onClose}>
          {tc('close')}
        </button>
      }
    >
      <div data-testid="log-detail">
        {id === null ? null : detail.isPending ? (
          <Loading label={t('detailLoading')} />
        ) : detail.error ? (
          <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />
        ) : (
          <DetailBody row={detail.data} keyName={keyName} />
        )}
      </div>
    </Modal>
  );
}
