/**
 * "Someone else changed this": shown when a save meets a newer version of the record (409
 * record.conflict). It lists the values as they are now, then lets the person save their own
 * version over them or take the current values and start again. Nothing is overwritten silently.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useIsWide } from '../useMediaQuery';
import { Button, ButtonGroup } from './Button';

export interface ConflictRow {
  label: ReactNode;
  current: ReactNode;
  mine: ReactNode;
}

export function ConflictNotice({ rows, onReapply, onDiscard, busy }: { rows: ConflictRow[]; onReapply: () => void; onDiscard: () => void; busy?: boolean }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const wide = useIsWide();
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="conflict" ref={ref} tabIndex={-1} role="alert" aria-labelledby="conflict-title">
      <h2 className="heading-m" id="conflict-title">
        {t('conflict.title')}
      </h2>
      <p>{t('conflict.text')}</p>
      {wide ? (
        <table className="table conflict-table">
          <caption className="visually-hidden">{t('conflict.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('conflict.field')}</th>
              <th scope="col">{t('conflict.theirs')}</th>
              <th scope="col">{t('conflict.mine')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <th scope="row">{r.label}</th>
                <td>{r.current}</td>
                <td>{r.mine}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        // A phone has no room for three columns: one small block per detail.
        <ul className="record-list conflict-list">
          {rows.map((r, i) => (
            <li key={i} className="record">
              <h3 className="heading-s record-title">{r.label}</h3>
              <dl className="record-facts">
                <div>
                  <dt>{t('conflict.theirs')}</dt>
                  <dd>{r.current}</dd>
                </div>
                <div>
                  <dt>{t('conflict.mine')}</dt>
                  <dd>{r.mine}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <ButtonGroup>
        <Button onClick={onReapply} busy={busy}>
          {t('conflict.reapply')}
        </Button>
        <Button variant="secondary" onClick={onDiscard}>
          {t('conflict.discard')}
        </Button>
      </ButtonGroup>
    </div>
  );
}
