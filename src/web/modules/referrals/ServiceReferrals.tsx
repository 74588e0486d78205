/**
 * On a directory entry: "Refer a participant" for staff who make referrals, and for
 * administrators and program managers the partner accounts that receive this organization's
 * referrals in Lodestar (link another partner account, or unlink one).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { Banner, LoadFailed, Loading } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { SelectField } from '../../app/forms/fields';
import { useForm } from '../../app/forms/useForm';
import { describeError } from '../../app/forms/errors';
import { linkPartnerAccount, listPartnerAccounts, PERMISSIONS, referralKeys, type PartnerAccountT } from './referrals.api';
import './referrals.css';

/** "Refer a participant" to this service, for staff who make referrals. */
export function ReferFromService({ serviceId }: { serviceId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  if (!can(PERMISSIONS.manage)) return null;
  return (
    <p>
      <Link className="button" to={`/referrals/new?service=${encodeURIComponent(serviceId)}`}>
        {t('referrals.service.refer')}
      </Link>
    </p>
  );
}

/** The partner accounts receiving this organization's referrals, for those who link them. */
export function ServicePartnerAccounts({ organizationId, organizationName }: { organizationId: string; organizationName: string }) {
  const { can } = useAuth();
  if (!can(PERMISSIONS.partnerAccounts)) return null;
  return <PartnerAccounts organizationId={organizationId} organizationName={organizationName} />;
}

function PartnerAccounts({ organizationId, organizationName }: { organizationId: string; organizationName: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const accounts = useQuery({ queryKey: referralKeys.accounts, queryFn: listPartnerAccounts });
  const [notice, setNotice] = useState<string | null>(null);
  const [unlinkError, setUnlinkError] = useState<string | null>(null);
  const [unlinking, setUnlinking] = useState<string | null>(null);
  const saved = (account: PartnerAccountT) => {
    client.setQueryData<PartnerAccountT[]>(referralKeys.accounts, (list) => (list ?? []).map((a) => (a.userId === account.userId ? account : a)));
  };
  const form = useForm({
    initial: { userId: '' },
    validate: (v) => (v.userId ? [] : [{ field: 'userId', message: t('referrals.service.errors.account') }]),
    fieldFor: (path) => (path === 'directoryOrganizationId' ? 'userId' : undefined),
    onSubmit: async (v) => {
      setNotice(null);
      const account = await linkPartnerAccount(v.userId, organizationId);
      saved(account);
      form.setValues({ userId: '' });
      setNotice(t('referrals.service.linked', { name: account.displayName, organization: organizationName }));
    },
  });
  const unlink = async (a: PartnerAccountT) => {
    if (unlinking) return;
    setUnlinking(a.userId);
    setNotice(null);
    setUnlinkError(null);
    try {
      saved(await linkPartnerAccount(a.userId, null));
      setNotice(t('referrals.service.unlinked', { name: a.displayName, organization: organizationName }));
    } catch (err) {
      setUnlinkError(describeError(t, err));
    } finally {
      setUnlinking(null);
    }
  };
  const all = accounts.data ?? [];
  const here = all.filter((a) => a.directoryOrganizationId === organizationId);
  const others = all.filter((a) => a.directoryOrganizationId !== organizationId);
  return (
    <section className="directory-section" aria-labelledby="partner-accounts-heading">
      <h2 className="heading-m" id="partner-accounts-heading">
        {t('referrals.service.accountsHeading')}
      </h2>
      <p>{t('referrals.service.accountsIntro', { organization: organizationName })}</p>
      {notice ? (
        <Banner kind="success">
          <p>{notice}</p>
        </Banner>
      ) : null}
      {unlinkError ? (
        <div className="banner banner--warning" role="alert">
          <p>{unlinkError}</p>
        </div>
      ) : null}
      {accounts.isPending ? <Loading /> : null}
      {accounts.isError ? <LoadFailed error={accounts.error} retry={() => void accounts.refetch()} /> : null}
      {accounts.isSuccess ? (
        <>
          {here.length === 0 ? <p>{t('referrals.service.noAccounts')}</p> : null}
          {here.length > 0 ? (
            <ul className="referral-choices">
              {here.map((a) => (
                <li key={a.userId}>
                  <div>
                    <strong>{a.displayName}</strong>
                    <br />
                    <span className="hint">{a.email}</span>
                  </div>
                  <Button variant="secondary" busy={unlinking === a.userId} onClick={() => void unlink(a)}>
                    {t('referrals.service.unlink')}
                    <span className="visually-hidden"> {t('referrals.service.unlinkHidden', { name: a.displayName })}</span>
                  </Button>
                </li>
              ))}
            </ul>
          ) : null}
          {all.length === 0 ? <p>{t('referrals.service.noPartnerUsers')}</p> : null}
          {others.length > 0 ? (
            <form noValidate onSubmit={(e) => void form.onSubmit(e)}>
              <ErrorSummary errors={form.errors} attempt={form.attempt} />
              <SelectField
                name="userId"
                label={t('referrals.service.linkLabel')}
                hint={t('referrals.service.linkHint', { organization: organizationName })}
                value={form.values.userId}
                onChange={(x) => form.set('userId', x)}
                error={form.errorFor('userId')}
                options={[
                  { value: '', label: t('referrals.service.choose') },
                  ...others.map((a) => ({
                    value: a.userId,
                    label: a.directoryOrganizationName ? t('referrals.service.linkedElsewhere', { name: a.displayName, organization: a.directoryOrganizationName }) : `${a.displayName} (${a.email})`,
                  })),
                ]}
              />
              <Button type="submit" busy={form.busy}>
                {t('referrals.service.link')}
              </Button>
            </form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
