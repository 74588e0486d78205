/**
 * /recovery-plans/:id/versions/:n — an earlier version of the plan, read-only: a banner saying
 * which version this is and which one is current, its goals with their steps and progress notes
 * as they were then, and the participant's agreement to it (with the signature) if they gave it.
 */
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Banner, LoadFailed, Loading, Page } from '../../app/components';
import { NotFoundPage } from '../errors/NotFoundPage';
import { useFormatDay } from '../referrals/parts';
import { usePlanFrame } from './PlanPages';
import { AgreementSignature, agreementHow } from './PlanAgreement';
import { getVersion, planKeys, type PlanT, type VersionT } from './plans.api';
import { GoalsByDomain } from './RecoveryPlanSection';
import './plans.css';

export function VersionPage() {
  const { n: raw = '' } = useParams();
  const n = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : undefined;
  if (n === undefined) return <NotFoundPage />;
  return <VersionView n={n} />;
}

function VersionView({ n }: { n: number }) {
  const { t } = useTranslation();
  const { id, plan, back } = usePlanFrame();
  const version = useQuery({ queryKey: planKeys.version(id, n), queryFn: () => getVersion(id, n) });
  const title = t('recoveryPlans.versionPage.title', { n });
  if (plan.isPending || version.isPending) return <Page title={title}><Loading /></Page>;
  if (plan.isError) return <Page title={title}><LoadFailed error={plan.error} retry={() => void plan.refetch()} /></Page>;
  if (version.isError) return <Page title={title} back={back}><LoadFailed error={version.error} retry={() => void version.refetch()} /></Page>;
  return (
    <Page title={title} back={back}>
      <ReadOnlyVersion version={version.data} plan={plan.data} />
    </Page>
  );
}

function ReadOnlyVersion({ version: v, plan }: { version: VersionT; plan: PlanT }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  const date = day(v.createdAt);
  return (
    <>
      <Banner kind={v.current ? 'info' : 'warning'}>
        <p>{v.current ? t('recoveryPlans.versionPage.bannerCurrent', { n: v.number, date }) : t('recoveryPlans.versionPage.banner', { n: v.number, date, current: plan.planVersion })}</p>
      </Banner>
      <section aria-labelledby="version-goals" className="plan-version">
        <h2 className="heading-m" id="version-goals">
          {t('recoveryPlans.versionPage.goals')}
        </h2>
        <GoalsByDomain goals={v.goals} />
      </section>
      <section aria-labelledby="version-agreement" className="plan-version">
        <h2 className="heading-m" id="version-agreement">
          {t('recoveryPlans.versionPage.agreement')}
        </h2>
        {v.agreements.length === 0 ? <p>{t('recoveryPlans.versionPage.notAgreed')}</p> : null}
        {v.agreements.map((a) => (
          <div key={a.id} className="plan-agreement">
            <p>{t('recoveryPlans.versionPage.agreed', { n: v.number, date: day(a.agreedOn), how: agreementHow(t, a) })}</p>
            <AgreementSignature agreement={a} t={t} />
          </div>
        ))}
      </section>
    </>
  );
}
