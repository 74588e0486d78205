/**
 * The participant page's coping and safety plans: for each, whether it is saved (version and date),
 * the key content at a glance (for the safety plan the 988 Lifeline first, then the other crisis
 * contacts and whether naloxone is on hand), and links to edit (for those who may), earlier
 * versions and a printable copy in English or Spanish. Shown to people whose role reads them.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../../app/auth';
import { LoadFailed, Loading } from '../../app/components';
import { useFormatDay } from '../referrals/parts';
import { copingKeys, copingPath, getCopingPlan, getSafetyPlan, PERMISSIONS, type CopingPlanT, type Kind, type SafetyPlanT } from './coping.api';
import { LifelineLine, PhoneLink } from './PlanContent';
import './coping.css';

export function CopingPlansSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const mayRead = me.permissions.includes(PERMISSIONS.read);
  const mayWrite = me.permissions.includes(PERMISSIONS.write);
  const coping = useQuery({ queryKey: copingKeys.plan(participantId, 'coping'), queryFn: () => getCopingPlan(participantId), enabled: mayRead });
  const safety = useQuery({ queryKey: copingKeys.plan(participantId, 'safety'), queryFn: () => getSafetyPlan(participantId), enabled: mayRead });
  if (!mayRead) return null;
  return (
    <section aria-labelledby="coping-plans-heading" className="care-section coping-plans">
      <h2 className="heading-m" id="coping-plans-heading">
        {t('copingPlans.heading')}
      </h2>
      <div className="coping-card">
        <h3 className="heading-s">{t('copingPlans.kinds.safety')}</h3>
        {safety.isPending ? <Loading /> : null}
        {safety.isError ? <LoadFailed error={safety.error} retry={() => void safety.refetch()} /> : null}
        {safety.data ? (
          <PlanCard kind="safety" participantId={participantId} plan={safety.data} mayWrite={mayWrite}>
            <SafetyGlance plan={safety.data} />
          </PlanCard>
        ) : null}
      </div>
      <div className="coping-card">
        <h3 className="heading-s">{t('copingPlans.kinds.coping')}</h3>
        {coping.isPending ? <Loading /> : null}
        {coping.isError ? <LoadFailed error={coping.error} retry={() => void coping.refetch()} /> : null}
        {coping.data ? (
          <PlanCard kind="coping" participantId={participantId} plan={coping.data} mayWrite={mayWrite}>
            {coping.data.planVersion > 0 ? <CopingGlance plan={coping.data} /> : null}
          </PlanCard>
        ) : null}
      </div>
    </section>
  );
}

function PlanCard({ kind, participantId, plan, mayWrite, children }: { kind: Kind; participantId: string; plan: { planVersion: number; updatedAt: string | null }; mayWrite: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const mayShare = useMe().permissions.includes('participant_links.send');
  const day = useFormatDay();
  const saved = plan.planVersion > 0;
  const of = t(`copingPlans.ofKind.${kind}`);
  return (
    <>
      <p>{saved ? <strong>{t('copingPlans.savedLine', { n: plan.planVersion, date: day(plan.updatedAt) })}</strong> : kind === 'safety' ? t('copingPlans.notSavedSafety') : t('copingPlans.notSaved')}</p>
      {children}
      <ul className="plan-actions coping-actions">
        {mayWrite ? (
          <li>
            <Link className="button button--secondary" to={copingPath(participantId, kind, 'edit')}>
              {saved ? t('copingPlans.edit') : t('copingPlans.make')}
              <span className="visually-hidden"> ({of})</span>
            </Link>
          </li>
        ) : null}
        {saved ? (
          <li>
            <Link to={copingPath(participantId, kind, 'versions')}>
              {t('copingPlans.versions')}
              <span className="visually-hidden"> ({of})</span>
            </Link>
          </li>
        ) : null}
        <li>
          <Link to={copingPath(participantId, kind, 'print', { language: 'en' })} hrefLang="en">
            {t('copingPlans.printEn')}
            <span className="visually-hidden"> ({of})</span>
          </Link>
        </li>
        <li>
          <Link to={copingPath(participantId, kind, 'print', { language: 'es' })} hrefLang="es">
            {t('copingPlans.printEs')}
            <span className="visually-hidden"> ({of})</span>
          </Link>
        </li>
        {saved && mayShare ? (
          <li>
            <Link to={`/participant-links/new?participant=${encodeURIComponent(participantId)}&purpose=${kind}_plan`}>
              {t('copingPlans.share')}
              <span className="visually-hidden"> ({of})</span>
            </Link>
          </li>
        ) : null}
      </ul>
    </>
  );
}

/** The first few entries of a list, then "and N more". */
function Some({ items }: { items: ReactNode[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <>{t('copingPlans.nothing')}</>;
  const shown = items.slice(0, 3);
  return (
    <>
      {shown.map((x, i) => (
        <span key={i}>
          {i > 0 ? '; ' : ''}
          {x}
        </span>
      ))}
      {items.length > shown.length ? ` ${t('copingPlans.more', { count: items.length - shown.length })}` : ''}
    </>
  );
}

function SafetyGlance({ plan }: { plan: SafetyPlanT }) {
  const { t } = useTranslation();
  const others = plan.crisisContacts.filter((c) => c.kind !== 'lifeline');
  return (
    <>
      <p className="coping-lifeline">
        <LifelineLine />
      </p>
      <dl className="record-facts">
        {others.length > 0 ? (
          <div>
            <dt>{t('copingPlans.lists.crisisContacts')}</dt>
            <dd>
              <Some
                items={others.map((c, i) => (
                  <span key={i}>
                    {c.name}: <PhoneLink phone={c.phone} name={c.name} />
                  </span>
                ))}
              />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('copingPlans.naloxoneOnHand')}</dt>
          <dd>{t(`copingPlans.naloxone.${plan.naloxoneOnHand}`)}</dd>
        </div>
        {plan.naloxoneKnownBy.length > 0 ? (
          <div>
            <dt>{t('copingPlans.knownBy')}</dt>
            <dd>
              <Some items={plan.naloxoneKnownBy} />
            </dd>
          </div>
        ) : null}
      </dl>
    </>
  );
}

function CopingGlance({ plan }: { plan: CopingPlanT }) {
  const { t } = useTranslation();
  const rows: [string, ReactNode[]][] = [
    [t('copingPlans.lists.triggers'), plan.triggers],
    [t('copingPlans.lists.copingStrategies'), plan.copingStrategies],
    [
      t('copingPlans.lists.peopleToCall'),
      plan.peopleToCall.map((p, i) => (
        <span key={i}>
          {p.name}: <PhoneLink phone={p.phone} name={p.name} />
        </span>
      )),
    ],
    [t('copingPlans.lists.reasonsForRecovery'), plan.reasonsForRecovery],
  ];
  return (
    <dl className="record-facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <Some items={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
