/**
 * One questionnaire item as a form field, exactly as its definition gives it and marked with the
 * definition's `lang` (a validated instrument is never translated ad hoc): agreement 1–6 and
 * single choice as radio groups, yes / no inline, a number as a short field. The words around it
 * (the agreement labels, yes and no) come from `t`, so the coach's form and a participant's link
 * page (in the link's language) share it. `toAnswer` turns the raw value into what the API takes.
 */
import type { TFunction } from 'i18next';
import { RadioGroup, TextField } from '../../app/forms/fields';
import { questionnairesEn } from './i18n';
import type { ItemT } from './questionnaires.api';

const AGREEMENT = Object.keys(questionnairesEn.agreement) as (keyof typeof questionnairesEn.agreement)[];

export function toAnswer(item: ItemT, raw: string): number | boolean | string {
  switch (item.type) {
    case 'likert6_agreement':
      return Number(raw);
    case 'yes_no':
      return raw === 'yes';
    case 'number':
      return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw.trim();
    case 'single_choice':
      return raw;
  }
}

export function ItemField({ item, index, language, value, error, onChange, t }: { item: ItemT; index: number; language: string; value: string; error: string | undefined; onChange: (v: string) => void; t: TFunction }) {
  const name = `answers.${item.id}`;
  const legend = (
    <span lang={language}>
      {index + 1}. {item.text}
    </span>
  );
  switch (item.type) {
    case 'likert6_agreement':
      return (
        <div className="questionnaire-item">
          <RadioGroup name={name} legend={legend} value={value} error={error} onChange={onChange} options={AGREEMENT.map((a) => ({ value: a, label: t(`questionnaires.agreement.${a}`) }))} />
        </div>
      );
    case 'yes_no':
      return (
        <div className="questionnaire-item">
          <RadioGroup
            name={name}
            inline
            legend={legend}
            value={value}
            error={error}
            onChange={onChange}
            options={[
              { value: 'yes', label: t('questionnaires.answer.yes') },
              { value: 'no', label: t('questionnaires.answer.no') },
            ]}
          />
        </div>
      );
    case 'single_choice':
      return (
        <div className="questionnaire-item">
          <RadioGroup name={name} legend={legend} value={value} error={error} onChange={onChange} options={item.options.map((o) => ({ value: o.value, label: <span lang={language}>{o.label}</span> }))} />
        </div>
      );
    case 'number':
      return <TextField name={name} type="number" inputMode="numeric" min={item.min} max={item.max} width="short" label={legend} value={value} error={error} onChange={onChange} />;
  }
}
