/**
 * The participant page's recovery plan: the current plan's goals by area of recovery, each with its
 * status, steps (who does what by when) and progress notes; whether the participant agreed to this
 * version and how (with the signature); the next review; earlier versions, each a link to read it;
 * and links to edit, record agreement, record a review and print. Shown to people whose role reads recovery plans.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../../app/auth';
import { LoadFailed, Loading, Tag } from '../../app/components';
import { useFormatDay } from '../referrals/parts';
import { AgreementSignature, agreementHow } from './PlanAgreement';
import { listPlans, listVersions, newPlanPath, PERMISSIONS, planKeys, planPath, RECOVERY_DOMAINS, versionPath, type GoalT, type PlanT } from './plans.api';
import './plans.css';

export function RecoveryPlanSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const mayRead = me.permissions.includes(PERMISSIONS.read);
  const mayWrite = me.permissions.includes(PERMISSIONS.write);
  const q = useQuery({ queryKey: planKeys.list(participantId), queryFn: () => listPlans(participantId), enabled: mayRead });
  if (!mayRead) return null;
  const plan = q.data?.[0];
  return (
    <section aria-labelledby="plan-heading" className="care-section recovery-plan">
      <h2 className="heading-m" id="plan-heading">
        {t('recoveryPlans.heading')}
      </h2>
      {q.isPending ? <Loading /> : null}
      {q.isError ? <LoadFailed error={q.error} retry={() => void q.refetch()} /> : null}
      {q.data && !plan ? (
        <>
          <p>{t('recoveryPlans.none')}</p>
          {mayWrite ? (
            <p>
              <Link className="button button--secondary" to={newPlanPath(participantId)}>
                {t('recoveryPlans.create')}
              </Link>
            </p>
          ) : null}
        </>
      ) : null}
      {plan ? <PlanView plan={plan} mayWrite={mayWrite} /> : null}
    </section>
  );
}

export function GoalsByDomain({ goals }: { goals: GoalT[] }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  if (goals.length === 0) return <p>{t('recoveryPlans.noGoals')}</p>;
  return (
    <>
      {RECOVERY_DOMAINS.filter((d) => goals.some((g) => g.domain === d)).map((d) => (
        <div key={d} className="plan-domain">
          <h3 className="heading-s">{t(`recoveryPlans.domains.${d}`)}</h3>
          <ul className="record-list">
            {goals
              .filter((g) => g.domain === d)
              .map((g) => (
                <li key={g.id} className="record">
                  <p className="record-title">
                    <strong>{g.text}</strong> <Tag tone={g.status === 'achieved' ? 'green' : 'grey'}>{t(`recoveryPlans.statuses.${g.status}`)}</Tag>
                  </p>
                  {g.steps.length > 0 ? (
                    <>
                      <p className="plan-label">{t('recoveryPlans.steps')}</p>
                      <ul>
                        {g.steps.map((s) => (
                          <li key={s.id}>
                            {s.text} — {s.owner === 'other' && s.ownerName ? s.ownerName : t(`recoveryPlans.owners.${s.owner}`)}
                            {s.dueOn ? `, ${t('recoveryPlans.due', { date: day(s.dueOn) })}` : ''}
                            {s.done ? ` (${t('recoveryPlans.done')})` : ''}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                  {g.notes.length > 0 ? (
                    <>
                      <p className="plan-label">{t('recoveryPlans.notes')}</p>
                      <ul>
                        {g.notes.map((n) => (
                          <li key={n.id}>
                            {day(n.on)}: {n.text}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </>
  );
}

function PlanView({ plan, mayWrite }: { plan: PlanT; mayWrite: boolean }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  const versions = useQuery({ queryKey: planKeys.versions(plan.id), queryFn: () => listVersions(plan.id) });
  // Newest first, as the server lists them; the current version is the one shown above.
  const earlier = (versions.data?.versions ?? []).filter((v) => v.number !== plan.planVersion);
  return (
    <>
      <p>
        <strong>{t('recoveryPlans.version', { n: plan.planVersion })}</strong>
      </p>
      {plan.agreement ? (
        <div className="plan-agreement">
          <p>{t('recoveryPlans.agreed', { date: day(plan.agreement.agreedOn), how: agreementHow(t, plan.agreement) })}</p>
          <AgreementSignature agreement={plan.agreement} t={t} />
        </div>
      ) : (
        <p>
          {t('recoveryPlans.notAgreed')}
          {plan.lastAgreedVersion ? ` ${t('recoveryPlans.agreedEarlier', { n: plan.lastAgreedVersion })}` : ''}
        </p>
      )}
      {plan.nextReviewOn ? <p>{t('recoveryPlans.nextReview', { date: day(plan.nextReviewOn) })}</p> : null}
      <GoalsByDomain goals={plan.goals} />
      <ul className="plan-actions">
        {mayWrite ? (
          <>
            <li>
              <Link className="button button--secondary" to={planPath(plan.id, 'edit')}>
                {t('recoveryPlans.edit')}
              </Link>
            </li>
            {!plan.agreement ? (
              <li>
                <Link className="button button--secondary" to={planPath(plan.id, 'agreement')}>
                  {t('recoveryPlans.agree')}
                </Link>
              </li>
            ) : null}
            <li>
              <Link className="button button--secondary" to={planPath(plan.id, 'review')}>
                {t('recoveryPlans.review')}
              </Link>
            </li>
          </>
        ) : null}
        <li>
          <Link to={planPath(plan.id, 'print')}>{t('recoveryPlans.print')}</Link>
        </li>
      </ul>
      {earlier.length > 0 ? (
        <>
          <h3 className="heading-s">{t('recoveryPlans.versions')}</h3>
          <ul className="plan-versions">
            {earlier.map((v) => (
              <li key={v.number}>
                <Link to={versionPath(plan.id, v.number)}>{t('recoveryPlans.versionLine', { n: v.number, date: day(v.createdAt), count: v.goals })}</Link>
                {v.agreed ? ` (${t('recoveryPlans.versionAgreed')})` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
