/** How a participant wants to be reached, in a few short words (shown before anyone calls). */
import { useTranslation } from 'react-i18next';
import { Tag } from '../../app/components';
import type { ContactRulesT } from './outreach.api';

export function ContactRules({ rules }: { rules: ContactRulesT }) {
  const { t } = useTranslation();
  if (rules.doNotContact) return <Tag tone="red">{t('outreach.contact.doNotContact')}</Tag>;
  const parts: string[] = [];
  if (rules.preferredMethod) parts.push(t('outreach.contact.prefers', { method: rules.preferredMethod }));
  if (rules.windowStart && rules.windowEnd) parts.push(t('outreach.contact.window', { start: rules.windowStart, end: rules.windowEnd }));
  parts.push(rules.okVoicemail ? t('outreach.contact.voicemailOk') : t('outreach.contact.noVoicemail'));
  parts.push(rules.okText ? t('outreach.contact.textOk') : t('outreach.contact.noText'));
  if (rules.safeTimes) parts.push(t('outreach.contact.safeTimes', { text: rules.safeTimes }));
  return <span>{parts.join(' · ')}</span>;
}
