/**
 * What a person sees for a record outside their caseload or team. When the server offers it
 * (`breakGlass`: coaches and supervisors), "I need access now" opens the record for 60 minutes
 * with a stated reason — and says plainly, before anything is sent, that the supervisor and the
 * privacy officer will be told and that the access is temporary (HIPAA 164.312(a)(2)(ii)).
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, newIdempotencyKey } from '../../app/api';
import { Banner } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { TextArea } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { BREAK_GLASS_MINUTES, REASON_MAX, REASON_MIN, breakGlass } from './breakGlass.api';

export function OutOfScope({ participantId, breakGlass: offered, onGranted }: { participantId: string; breakGlass: boolean; onGranted: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <h2 className="heading-m">{t('breakGlass.outOfScope.title')}</h2>
      <p className="lead">{t('breakGlass.outOfScope.explain')}</p>
      {!offered ? <p>{t('breakGlass.outOfScope.noOffer')}</p> : null}
      {offered ? (
        <section aria-labelledby="break-glass-heading" className="section">
          <h2 className="heading-m" id="break-glass-heading">
            {t('breakGlass.outOfScope.emergencyHeading')}
          </h2>
          <p>{t('breakGlass.outOfScope.emergencyText', { minutes: BREAK_GLASS_MINUTES })}</p>
          {open ? (
            <BreakGlassForm participantId={participantId} onGranted={onGranted} onCancel={() => setOpen(false)} />
          ) : (
            <Button variant="warning" onClick={() => setOpen(true)}>
              {t('breakGlass.outOfScope.open')}
            </Button>
          )}
        </section>
      ) : null}
    </>
  );
}

function BreakGlassForm({ participantId, onGranted, onCancel }: { participantId: string; onGranted: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  // One key per submission, kept across retries of the same one.
  const key = useRef<{ reason: string; key: string } | null>(null);
  const form = useForm({
    initial: { reason: '' },
    validate: (v) => {
      const e: FormError[] = [];
      const reason = v.reason.trim();
      if (!reason) e.push({ field: 'reason', message: t('breakGlass.outOfScope.errors.reasonMissing') });
      else if (reason.length < REASON_MIN) e.push({ field: 'reason', message: t('breakGlass.outOfScope.errors.reasonShort', { count: REASON_MIN }) });
      else if (reason.length > REASON_MAX) e.push({ field: 'reason', message: t('breakGlass.outOfScope.errors.reasonLong', { count: REASON_MAX }) });
      return e;
    },
    onSubmit: async (v) => {
      const reason = v.reason.trim();
      if (key.current?.reason !== reason) key.current = { reason, key: newIdempotencyKey() };
      try {
        await breakGlass(participantId, reason, key.current.key);
      } catch (err) {
        // Already in scope (reassigned meanwhile): the record opens without emergency access.
        if (isApiError(err) && err.code === 'participant.in_scope') {
          onGranted();
          return;
        }
        throw err;
      }
      onGranted();
    },
  });
  const minutes = BREAK_GLASS_MINUTES;
  return (
    <>
      <Banner kind="warning" title={t('breakGlass.outOfScope.warningTitle')}>
        <p>{t('breakGlass.outOfScope.warning')}</p>
        <p>{t('breakGlass.outOfScope.temporary', { minutes })}</p>
      </Banner>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextArea
          name="reason"
          label={t('breakGlass.outOfScope.reason')}
          hint={t('breakGlass.outOfScope.reasonHint')}
          rows={3}
          value={form.values.reason}
          error={form.errorFor('reason')}
          onChange={(v) => form.set('reason', v)}
        />
        <ButtonGroup>
          <Button type="submit" variant="warning" busy={form.busy} busyLabel={t('breakGlass.outOfScope.busy')}>
            {t('breakGlass.outOfScope.submit', { minutes })}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t('breakGlass.outOfScope.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </>
  );
}
