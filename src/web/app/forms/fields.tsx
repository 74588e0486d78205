/**
 * Form fields in the GOV.UK / NHS.UK pattern: label above the field, a hint in plain words,
 * the error message between hint and field, and `aria-describedby` tying them together.
 * Field ids derive from the field name, so the error summary can link to them.
 */
import { useId, useState, type ReactNode, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

/** The element id of a field, from its name (`admin.email` → `field-admin-email`). */
export const fieldId = (name: string): string => `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface FieldShell {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** Visually quieter label (when a page heading already asks the question). */
  optional?: boolean;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Hint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div id={`${id}-hint`} className="hint">
      {children}
    </div>
  );
}

export function ErrorMessage({ id, children }: { id: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <p id={`${id}-error`} className="error-message">
      <span className="visually-hidden">{t('errors.prefix')}</span> {children}
    </p>
  );
}

function Label({ id, label, optional }: { id: string; label: ReactNode; optional?: boolean | undefined }) {
  const { t } = useTranslation();
  return (
    <label className="label" htmlFor={id}>
      {label}
      {optional ? <span className="label-optional"> {t('common.optional')}</span> : null}
    </label>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'name' | 'id' | 'className'>;

export interface TextFieldProps extends FieldShell, InputProps {
  value: string;
  onChange: (value: string) => void;
  /** Narrow inputs for short answers: codes, dates. */
  width?: 'code' | 'short' | 'medium' | 'full';
  suffix?: ReactNode;
}

export function TextField({ name, label, hint, error, optional, value, onChange, width = 'full', suffix, ...rest }: TextFieldProps) {
  const id = fieldId(name);
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <Label id={id} label={label} optional={optional} />
      {hint ? <Hint id={id}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={id}>{error}</ErrorMessage> : null}
      <div className="input-wrapper">
        <input
          {...rest}
          id={id}
          name={name}
          className={`input input--${width}${error ? ' input--error' : ''}`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={describedBy(id, hint, error)}
          aria-invalid={error ? true : undefined}
        />
        {suffix}
      </div>
    </div>
  );
}

/** A password with a Show/Hide button (so nobody has to type it twice). */
export function PasswordField(props: Omit<TextFieldProps, 'type' | 'suffix'> & { autoComplete: 'current-password' | 'new-password' }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  return (
    <TextField
      {...props}
      type={shown ? 'text' : 'password'}
      spellCheck={false}
      autoCapitalize="none"
      suffix={
        <button
          type="button"
          className="button button--secondary input-suffix-button"
          aria-controls={fieldId(props.name)}
          onClick={() => setShown(!shown)}
        >
          {shown ? t('common.hidePassword') : t('common.showPassword')}
          <span className="visually-hidden"> {props.label}</span>
        </button>
      }
    />
  );
}

export interface TextAreaProps extends FieldShell {
  value: string;
  onChange: (value: string) => void;
  rows?: number;
}

export function TextArea({ name, label, hint, error, optional, value, onChange, rows = 4 }: TextAreaProps) {
  const id = fieldId(name);
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <Label id={id} label={label} optional={optional} />
      {hint ? <Hint id={id}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={id}>{error}</ErrorMessage> : null}
      <textarea
        id={id}
        name={name}
        rows={rows}
        className={`textarea${error ? ' input--error' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

export interface Option {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
}

export interface SelectFieldProps extends FieldShell {
  value: string;
  onChange: (value: string) => void;
  options: readonly Option[];
  autoComplete?: string;
}

export function SelectField({ name, label, hint, error, optional, value, onChange, options, autoComplete }: SelectFieldProps) {
  const id = fieldId(name);
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <Label id={id} label={label} optional={optional} />
      {hint ? <Hint id={id}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={id}>{error}</ErrorMessage> : null}
      <select
        id={id}
        name={name}
        className={`select${error ? ' input--error' : ''}`}
        value={value}
        autoComplete={autoComplete}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {typeof o.label === 'string' ? o.label : o.value}
          </option>
        ))}
      </select>
    </div>
  );
}

interface ChoiceGroupShell {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  options: readonly Option[];
  /** Show the legend as the page's question heading. */
  legendSize?: 'm' | 's';
}

function ChoiceFieldset({ name, legend, hint, error, legendSize = 's', children }: Omit<ChoiceGroupShell, 'options'> & { children: ReactNode }) {
  const id = fieldId(name);
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <fieldset className="fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className={`fieldset-legend fieldset-legend--${legendSize}`}>{legend}</legend>
        {hint ? <Hint id={id}>{hint}</Hint> : null}
        {error ? <ErrorMessage id={id}>{error}</ErrorMessage> : null}
        {children}
      </fieldset>
    </div>
  );
}

export function CheckboxGroup(props: ChoiceGroupShell & { value: readonly string[]; onChange: (value: string[]) => void }) {
  const { name, options, value, onChange } = props;
  const base = fieldId(name);
  return (
    <ChoiceFieldset {...props}>
      <div className="checkboxes">
        {options.map((o, i) => {
          // The first box carries the group's id, so the error summary can focus it.
          const id = i === 0 ? base : `${base}-${i}`;
          const checked = value.includes(o.value);
          return (
            <div className="checkboxes-item" key={o.value}>
              <input
                className="checkboxes-input"
                type="checkbox"
                id={id}
                name={name}
                value={o.value}
                checked={checked}
                aria-describedby={o.hint ? `${id}-item-hint` : undefined}
                onChange={() => onChange(checked ? value.filter((v) => v !== o.value) : [...value, o.value])}
              />
              <label className="checkboxes-label" htmlFor={id}>
                {o.label}
              </label>
              {o.hint ? (
                <div id={`${id}-item-hint`} className="hint checkboxes-hint">
                  {o.hint}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </ChoiceFieldset>
  );
}

export function RadioGroup(props: ChoiceGroupShell & { value: string; onChange: (value: string) => void; inline?: boolean }) {
  const { name, options, value, onChange, inline } = props;
  const base = fieldId(name);
  return (
    <ChoiceFieldset {...props}>
      <div className={`radios${inline ? ' radios--inline' : ''}`}>
        {options.map((o, i) => {
          const id = i === 0 ? base : `${base}-${i}`;
          return (
            <div className="radios-item" key={o.value}>
              <input
                className="radios-input"
                type="radio"
                id={id}
                name={name}
                value={o.value}
                checked={value === o.value}
                aria-describedby={o.hint ? `${id}-item-hint` : undefined}
                onChange={() => onChange(o.value)}
              />
              <label className="radios-label" htmlFor={id}>
                {o.label}
              </label>
              {o.hint ? (
                <div id={`${id}-item-hint`} className="hint radios-hint">
                  {o.hint}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </ChoiceFieldset>
  );
}

/** One yes/no checkbox with its own label (for example "Require two-step verification"). */
export function SingleCheckbox({ name, label, hint, error, value, onChange }: FieldShell & { value: boolean; onChange: (value: boolean) => void }) {
  const id = fieldId(name);
  const generated = useId();
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      {error ? <ErrorMessage id={id}>{error}</ErrorMessage> : null}
      <div className="checkboxes">
        <div className="checkboxes-item">
          <input
            className="checkboxes-input"
            type="checkbox"
            id={id}
            name={name}
            checked={value}
            aria-describedby={[hint ? `${generated}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
            onChange={(e) => onChange(e.target.checked)}
          />
          <label className="checkboxes-label" htmlFor={id}>
            {label}
          </label>
          {hint ? (
            <div id={`${generated}-hint`} className="hint checkboxes-hint">
              {hint}
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
