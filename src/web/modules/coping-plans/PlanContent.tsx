/**
 * A coping or safety plan read-only, with the interface's labels: on the page of one version, and
 * for the words someone had typed when a save met a newer version. The 988 Lifeline is always first.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { COPING_LISTS, type CopingPlanT, type SafetyPlanT } from './coping.api';

export type CopingContent = Pick<CopingPlanT, 'triggers' | 'warningSigns' | 'copingStrategies' | 'peopleToCall' | 'safePlaces' | 'reasonsForRecovery'>;
export interface SafetyContent {
  crisisContacts: { kind: string; name: string; phone: string }[];
  naloxoneOnHand: SafetyPlanT['naloxoneOnHand'];
  naloxoneKnownBy: string[];
  /** null: the usual steps (not shown when not known). */
  overdoseSteps: string[] | null;
  /** The usual steps as the server gives them here: in English, whatever the interface language. */
  overdoseStepsAreDefault?: boolean;
}

/** A phone number as a link a phone can call. */
export function PhoneLink({ phone, name }: { phone: string; name: string }) {
  const { t } = useTranslation();
  const digits = phone.replace(/[^0-9+]/g, '');
  return (
    <a href={`tel:${digits}`} aria-label={`${t('copingPlans.call', { name })}: ${phone}`}>
      {phone}
    </a>
  );
}

export function LifelineLine() {
  const { t } = useTranslation();
  return (
    <>
      <strong>{t('copingPlans.lifeline')}</strong>: <PhoneLink phone="988" name={t('copingPlans.lifeline')} />. {t('copingPlans.lifelineLine')}
    </>
  );
}

function Block({ heading, level, items }: { heading: string; level: 2 | 3; items: ReactNode[] }) {
  const { t } = useTranslation();
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <>
      <H className="heading-s">{heading}</H>
      {items.length === 0 ? (
        <p className="coping-empty">{t('copingPlans.nothing')}</p>
      ) : (
        <ul className="coping-read-list">
          {items.map((x, i) => (
            <li key={i}>{x}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export function CopingPlanContentView({ plan, level = 2 }: { plan: CopingContent; level?: 2 | 3 }) {
  const { t } = useTranslation();
  return (
    <div className="coping-read">
      {COPING_LISTS.slice(0, 3).map((k) => (
        <Block key={k} heading={t(`copingPlans.lists.${k}`)} level={level} items={plan[k]} />
      ))}
      <Block
        heading={t('copingPlans.lists.peopleToCall')}
        level={level}
        items={plan.peopleToCall.map((p, i) => (
          <span key={i}>
            {p.name}: <PhoneLink phone={p.phone} name={p.name} />
          </span>
        ))}
      />
      {COPING_LISTS.slice(3).map((k) => (
        <Block key={k} heading={t(`copingPlans.lists.${k}`)} level={level} items={plan[k]} />
      ))}
    </div>
  );
}

export function SafetyPlanContentView({ plan, level = 2 }: { plan: SafetyContent; level?: 2 | 3 }) {
  const { t } = useTranslation();
  const contacts = plan.crisisContacts.filter((c) => c.kind !== 'lifeline');
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <div className="coping-read">
      <Block
        heading={t('copingPlans.lists.crisisContacts')}
        level={level}
        items={[
          <LifelineLine key="988" />,
          ...contacts.map((c, i) => (
            <span key={i}>
              {c.name} ({t(`copingPlans.contactKinds.${c.kind === 'crisis_line' ? 'crisis_line' : 'personal'}`)}): <PhoneLink phone={c.phone} name={c.name} />
            </span>
          )),
        ]}
      />
      <H className="heading-s">{t('copingPlans.naloxoneOnHand')}</H>
      <p>{t(`copingPlans.naloxone.${plan.naloxoneOnHand}`)}</p>
      <Block heading={t('copingPlans.knownBy')} level={level} items={plan.naloxoneKnownBy} />
      <H className="heading-s">{t('copingPlans.lists.overdoseSteps')}</H>
      {plan.overdoseSteps ? (
        <ol className="coping-read-list coping-steps" lang={plan.overdoseStepsAreDefault ? 'en' : undefined}>
          {plan.overdoseSteps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ol>
      ) : (
        <p>{t('copingPlans.form.stepsUsual')}</p>
      )}
    </div>
  );
}
