/** Placeholders for the parts of Lodestar that are on their way, so the navigation is honest about them. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page, Tag } from '../../app/components';
import type { Area } from '../../app/roles';
import { useNavLabel } from '../../app/shell/Navigation';

type Soon = Extract<Area, 'participants' | 'directory' | 'reports' | 'team'>;

const TEXT = {
  participants: 'comingSoon.participants',
  directory: 'comingSoon.directory',
  reports: 'comingSoon.reports',
  team: 'comingSoon.team',
} as const satisfies Record<Soon, string>;

export function ComingSoonPage({ area }: { area: Soon }) {
  const { t } = useTranslation();
  const label = useNavLabel();
  return (
    <Page title={label(area)}>
      <p>
        <Tag tone="blue">{t('common.comingSoon')}</Tag>
      </p>
      <p className="lead">{t(TEXT[area])}</p>
      <p>{t('comingSoon.meanwhile')}</p>
      <p>
        <Link to="/">{t('comingSoon.backHome')}</Link>
      </p>
    </Page>
  );
}
