/**
 * A time zone: the common US zones in a list, or any IANA zone typed in ("Other"). Sites can
 * also choose "the organization's zone" (an empty value).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, TextField } from './fields';

export const COMMON_TIME_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
] as const;

const ZONE_LABEL = {
  'America/New_York': 'timeZones.eastern',
  'America/Chicago': 'timeZones.central',
  'America/Denver': 'timeZones.mountain',
  'America/Phoenix': 'timeZones.arizona',
  'America/Los_Angeles': 'timeZones.pacific',
  'America/Anchorage': 'timeZones.alaska',
  'Pacific/Honolulu': 'timeZones.hawaii',
  'America/Puerto_Rico': 'timeZones.atlantic',
} as const satisfies Record<(typeof COMMON_TIME_ZONES)[number], string>;

const OTHER = '__other';
const INHERIT = '__inherit';

export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/New_York';
  } catch {
    return 'America/New_York';
  }
}

const isCommon = (zone: string): boolean => (COMMON_TIME_ZONES as readonly string[]).includes(zone);

export function TimeZoneField({
  name,
  label,
  hint,
  error,
  value,
  onChange,
  inheritLabel,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value: string;
  onChange: (zone: string) => void;
  /** Offer "use the organization's zone" (value ''). */
  inheritLabel?: string;
}) {
  const { t } = useTranslation();
  const [other, setOther] = useState(value !== '' && !isCommon(value));
  const selected = other ? OTHER : value === '' && inheritLabel ? INHERIT : value;
  const options = [
    ...(inheritLabel ? [{ value: INHERIT, label: inheritLabel }] : []),
    ...COMMON_TIME_ZONES.map((z) => ({ value: z, label: t(ZONE_LABEL[z]) })),
    { value: OTHER, label: t('timeZones.other') },
  ];
  return (
    <>
      <SelectField
        name={name}
        label={label}
        hint={hint}
        error={other ? undefined : error}
        value={selected}
        options={options}
        onChange={(v) => {
          if (v === OTHER) {
            setOther(true);
            onChange(isCommon(value) ? '' : value);
          } else {
            setOther(false);
            onChange(v === INHERIT ? '' : v);
          }
        }}
      />
      {other ? (
        <div className="conditional">
          <TextField
            name={`${name}Other`}
            label={t('timeZones.otherLabel')}
            hint={t('timeZones.otherHint')}
            error={error}
            value={value}
            onChange={onChange}
            width="medium"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="none"
          />
        </div>
      ) : null}
    </>
  );
}
