/** The "Notifications" link of the account menu, with the number of unread notices. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { breakGlassKeys, getNotifications } from './breakGlass.api';

export function NotificationsLink() {
  const { t } = useTranslation();
  // Fetched when the menu mounts and when the window regains focus; no polling, so an idle
  // screen does not keep the session alive.
  const notices = useQuery({ queryKey: breakGlassKeys.notifications, queryFn: getNotifications, staleTime: 60_000 });
  const unread = notices.data?.unread ?? 0;
  return <Link to="/notifications">{unread > 0 ? t('breakGlass.notifications.linkUnread', { count: unread }) : t('breakGlass.notifications.link')}</Link>;
}
