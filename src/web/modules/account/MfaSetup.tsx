/**
 * Setting up two-step verification: get a secret from the server (shown as a QR code, a link for
 * an authenticator app on this phone, and a key to type), then confirm with a first code.
 * Used on the account page and, when the organization requires it, right after sign-in.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../../contracts/auth';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { TextField } from '../../app/forms/fields';
import { useForm } from '../../app/forms/useForm';
import { cleanCode, isSixDigits } from '../../app/forms/checks';
import { describeError } from '../../app/forms/errors';
import { confirmMfa, startMfaSetup } from './account.api';

/** The QR code as an image: the SVG never enters the page as markup. */
export function svgDataUri(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** ABCD EFGH IJKL … : easier to read and type. */
export const groupsOfFour = (secret: string): string => secret.replace(/\s/g, '').replace(/(.{4})/g, '$1 ').trim();

type Setup = { secret: string; otpauthUri: string; qrSvg: string };

export function MfaSetup({ onDone }: { onDone: (me: Me) => void }) {
  const { t } = useTranslation();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const form = useForm({
    initial: { code: '' },
    validate: (v) => {
      if (!cleanCode(v.code)) return [{ field: 'code', message: t('code.errors.missing') }];
      if (!isSixDigits(v.code)) return [{ field: 'code', message: t('code.errors.format') }];
      return [];
    },
    attach: { 'auth.mfa_invalid': 'code' },
    onSubmit: async (v) => onDone(await confirmMfa(cleanCode(v.code))),
  });

  const start = async () => {
    if (starting) return;
    setStarting(true);
    setStartError(null);
    try {
      setSetup(await startMfaSetup());
    } catch (err) {
      setStartError(describeError(t, err));
    } finally {
      setStarting(false);
    }
  };

  if (!setup) {
    return (
      <>
        <p>{t('mfa.intro')}</p>
        <p>{t('mfa.appHint')}</p>
        {startError ? (
          <div className="error-summary" role="alert">
            <p className="error-summary-title">{t('errors.summaryTitle')}</p>
            <p>{startError}</p>
          </div>
        ) : null}
        <Button onClick={() => void start()} busy={starting} busyLabel={t('common.loading')}>
          {t('mfa.start')}
        </Button>
      </>
    );
  }

  return (
    <>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <ol className="steps">
        <li>
          <h2 className="heading-s">{t('mfa.step1')}</h2>
          <p>{t('mfa.appHint')}</p>
        </li>
        <li>
          <h2 className="heading-s">{t('mfa.step2')}</h2>
          <img className="qr-code" src={svgDataUri(setup.qrSvg)} alt={t('mfa.qrAlt')} width={200} height={200} />
          <p>
            <a href={setup.otpauthUri}>{t('mfa.openInApp')}</a>
          </p>
          <p>{t('mfa.typeKey')}</p>
          <p className="secret">
            <code>{groupsOfFour(setup.secret)}</code>
          </p>
        </li>
        <li>
          <h2 className="heading-s">{t('mfa.step3')}</h2>
          <form className="form narrow" noValidate onSubmit={(e) => void form.onSubmit(e)}>
            <TextField
              name="code"
              label={t('code.label')}
              hint={t('mfa.codeHint')}
              inputMode="numeric"
              autoComplete="one-time-code"
              spellCheck={false}
              width="code"
              maxLength={7}
              value={form.values.code}
              error={form.errorFor('code')}
              onChange={(v) => form.set('code', v)}
            />
            <Button type="submit" busy={form.busy}>
              {t('mfa.confirm')}
            </Button>
          </form>
        </li>
      </ol>
    </>
  );
}
