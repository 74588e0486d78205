/** Active, disabled, or locked out for now after too many failed sign-ins. */
import { useTranslation } from 'react-i18next';
import { Tag } from '../../../app/components';
import type { UserT } from '../admin.api';

export const isLocked = (u: UserT): boolean => Boolean(u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now());

export function UserStatusTag({ user }: { user: UserT }) {
  const { t } = useTranslation();
  if (user.status === 'disabled') return <Tag tone="grey">{t('admin.users.statusDisabled')}</Tag>;
  if (isLocked(user)) return <Tag tone="red">{t('admin.users.statusLocked')}</Tag>;
  return <Tag tone="green">{t('admin.users.statusActive')}</Tag>;
}
