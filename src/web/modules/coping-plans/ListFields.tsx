/**
 * Editable lists for the plan forms, phone first: one field per entry with its own Remove button,
 * and an Add button that puts the cursor in the new entry. A list's own error (too many entries)
 * shows above it; each entry's error next to the entry.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, fieldId, TextField } from '../../app/forms/fields';

/** Move focus to an element by id after the next render (a new entry, or the Add button after a removal). */
export function useFocusAfterRender(): (id: string) => void {
  const [target, setTarget] = useState<string | null>(null);
  useEffect(() => {
    if (!target) return;
    document.getElementById(target)?.focus();
    setTarget(null);
  }, [target]);
  return setTarget;
}

export const addButtonId = (name: string) => `${fieldId(name)}-add`;

/** The frame of one list: legend, hint, the list's own error, the entries, the Add button (while not full). */
export function ListFrame({
  name,
  legend,
  hint,
  error,
  full,
  max,
  addLabel,
  onAdd,
  children,
}: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error: string | undefined;
  full: boolean;
  max: number;
  addLabel: string;
  onAdd: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const id = fieldId(name);
  return (
    <fieldset className={`fieldset coping-list${error ? ' form-group--error' : ''}`} id={id} tabIndex={-1} aria-describedby={[hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}>
      <legend className="fieldset-legend fieldset-legend--m">{legend}</legend>
      {hint ? (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? <ErrorMessage id={id}>{error}</ErrorMessage> : null}
      {children}
      {full ? (
        <p className="hint">{t('copingPlans.form.full', { max })}</p>
      ) : (
        <button type="button" id={addButtonId(name)} className="button button--secondary coping-add" onClick={onAdd}>
          {addLabel}
        </button>
      )}
    </fieldset>
  );
}

export function RemoveButton({ what, onClick }: { what: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button button--secondary coping-remove" onClick={onClick}>
      {t('copingPlans.form.remove')}
      <span className="visually-hidden"> {what}</span>
    </button>
  );
}

/** A list of short texts (`triggers.0`, `triggers.1` …). */
export function TextList({
  name,
  legend,
  hint,
  itemLabel,
  addLabel,
  values,
  onChange,
  errorFor,
  max,
  focus,
}: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  itemLabel: (n: number) => string;
  addLabel: string;
  values: string[];
  onChange: (next: string[]) => void;
  errorFor: (field: string) => string | undefined;
  max: number;
  focus: (id: string) => void;
}) {
  return (
    <ListFrame
      name={name}
      legend={legend}
      hint={hint}
      error={errorFor(name)}
      full={values.length >= max}
      max={max}
      addLabel={addLabel}
      onAdd={() => {
        onChange([...values, '']);
        focus(fieldId(`${name}.${values.length}`));
      }}
    >
      {values.map((v, i) => (
        <div className="coping-item" key={i}>
          <TextField name={`${name}.${i}`} label={itemLabel(i + 1)} value={v} error={errorFor(`${name}.${i}`)} onChange={(x) => onChange(values.map((y, j) => (j === i ? x : y)))} />
          <RemoveButton
            what={itemLabel(i + 1)}
            onClick={() => {
              onChange(values.filter((_, j) => j !== i));
              focus(addButtonId(name));
            }}
          />
        </div>
      ))}
    </ListFrame>
  );
}
