/**
 * /participants/:id/ed/new: starts the visit (one Idempotency-Key, so a retry or a second render
 * never makes two) and goes to the bedside page.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { newIdempotencyKey } from '../../app/api';
import { Banner, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { describeError } from '../../app/forms/errors';
import { startEdVisit } from './ed.api';

export function NewVisitPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const key = useRef(newIdempotencyKey());
  // One request per attempt, shared by a re-run effect (StrictMode runs effects twice).
  const pending = useRef<{ attempt: number; request: ReturnType<typeof startEdVisit> } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    if (pending.current?.attempt !== attempt) pending.current = { attempt, request: startEdVisit(id, {}, key.current) };
    pending.current.request
      .then((visit) => {
        if (live) void navigate(`/participants/${id}/ed/${visit.id}`, { replace: true });
      })
      .catch((e: unknown) => {
        if (live) setError(e);
      });
    return () => {
      live = false;
    };
  }, [id, navigate, attempt]);

  return (
    <Page title={t('ed.page.title')} back={{ to: `/participants/${id}`, label: t('ed.page.back') }}>
      {error ? (
        <Banner kind="warning" title={t('ed.page.startFailed')} focus>
          <p>{describeError(t, error)}</p>
          <Button
            onClick={() => {
              setError(null);
              setAttempt((a) => a + 1);
            }}
          >
            {t('ed.page.tryAgain')}
          </Button>
        </Banner>
      ) : (
        <Loading />
      )}
    </Page>
  );
}
