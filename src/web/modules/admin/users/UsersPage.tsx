/** Everyone in the organization, with their roles and whether they can sign in. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { LoadFailed, Loading, Page } from '../../../app/components';
import { DataList } from '../../../app/DataList';
import { ROLE_LABEL } from '../../../app/roles';
import { keys, listUsers, type UserT } from '../admin.api';
import { NoticeFromState } from '../Notice';
import { UserStatusTag } from './UserStatusTag';

export function UsersPage() {
  const { t } = useTranslation();
  const users = useQuery({ queryKey: keys.users, queryFn: listUsers });
  return (
    <Page title={t('admin.users.title')} caption={t('admin.title')} wide>
      <NoticeFromState />
      <p>
        <Link to="/admin/users/new" className="button">
          {t('admin.users.add')}
        </Link>
      </p>
      {users.isPending ? <Loading /> : null}
      {users.isError ? <LoadFailed error={users.error} retry={() => void users.refetch()} /> : null}
      {users.data ? (
        <DataList<UserT>
          caption={t('admin.users.title')}
          rows={users.data}
          rowKey={(u) => u.id}
          columns={[
            { header: t('admin.users.name'), cell: (u) => <Link to={`/admin/users/${u.id}`}>{u.displayName}</Link> },
            { header: t('admin.users.email'), cell: (u) => u.email },
            { header: t('admin.users.roles'), cell: (u) => u.roles.map((r) => t(ROLE_LABEL[r])).join(', ') },
            { header: t('admin.users.status'), cell: (u) => <UserStatusTag user={u} /> },
            { header: t('admin.users.twoStep'), cell: (u) => (u.mfaEnabled ? t('account.on') : t('account.off')) },
          ]}
        />
      ) : null}
    </Page>
  );
}
