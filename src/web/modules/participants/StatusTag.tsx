/** An episode's status as a coloured tag. */
import { useTranslation } from 'react-i18next';
import type { EPISODE_STATUSES } from '../../../contracts/participants';
import { Tag } from '../../app/components';

type Status = (typeof EPISODE_STATUSES)[number];
const TONE = { active: 'green', on_hold: 'yellow', unreachable: 'red', discharged: 'grey' } as const satisfies Record<Status, string>;

export function StatusTag({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <Tag tone={TONE[status]}>{t(`participants.statuses.${status}`)}</Tag>;
}
