/**
 * A recorded agreement to a version of the plan, shown on the participant's page, on an earlier
 * version's page and on the printable copy: how they agreed, and the signature itself. A drawn
 * signature is SVG path data drawn into a <path d>, never inserted as markup, and only when it
 * holds nothing but path commands and numbers (the server accepts nothing else either).
 */
import type { TFunction } from 'i18next';
import { SignatureImage } from '../consents/SignaturePad';
import type { AgreementT } from './plans.api';
import '../consents/consents.css';

/** The same rule as the contract's: path commands, numbers, separators. */
const SVG_PATH = /^[MLHVCSQTAZmlhvcsqtaz0-9eE.,\s-]*$/;

/** The drawn signature's path data if it is safe to draw, else null. */
export const signaturePath = (a: Pick<AgreementT, 'method' | 'data'>): string | null => (a.method === 'drawn' && a.data && SVG_PATH.test(a.data) ? a.data : null);

/** "signed", "signed with a typed name", "verbal agreement" (in the language of `t`). */
export const agreementHow = (t: TFunction, a: Pick<AgreementT, 'method'>): string => t(`recoveryPlans.how.${a.method}`);

/**
 * The signature as recorded: the drawing, the typed name, or the witness of a verbal agreement.
 * `voice` picks the staff words ("The participant's signature") or the printed copy's first
 * person ("My signature"), in the language of `t`.
 */
export function AgreementSignature({ agreement: a, t, voice = 'staff' }: { agreement: AgreementT; t: TFunction; voice?: 'staff' | 'print' }) {
  const words = voice === 'print' ? 'recoveryPlans.printSignature' : 'recoveryPlans.signature';
  const path = signaturePath(a);
  if (a.method === 'drawn') {
    return path ? <SignatureImage path={path} label={t(`${words}.drawn`)} /> : <p>{t(`${words}.unreadable`)}</p>;
  }
  if (a.method === 'typed') return a.data ? <p className="plan-typed-signature">{t(`${words}.typed`, { name: a.data })}</p> : null;
  return a.witnessName ? <p>{t(`${words}.witness`, { name: a.witnessName })}</p> : null;
}
