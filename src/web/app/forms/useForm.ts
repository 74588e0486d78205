/**
 * Form state for the GOV.UK error pattern: values, a submit that never runs twice at once,
 * client checks first (translated), then the server's field errors mapped onto the fields by
 * their `path`. Errors for paths the form does not show become general messages in the summary.
 * A 409 record.conflict goes to `onConflict` so edit pages can show the current values.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { conflictOf, isApiError } from '../api';
import { describeError, describeFieldError } from './errors';

export interface FormError {
  /** The form's field name; absent for an error about the whole form. */
  field?: string;
  message: string;
}

export interface UseFormOptions<V> {
  initial: V;
  /** Checks before sending, in the person's language. Return one error per field, in field order. */
  validate?: (values: V) => FormError[];
  onSubmit: (values: V) => Promise<void>;
  /** The form field for a server error path (`admin.email` → `email`); default: the path itself when it is a field. */
  fieldFor?: (path: string) => string | undefined;
  onConflict?: (conflict: { current: unknown; version: number }) => void;
  /** Messages to use instead of the defaults for some error codes (`auth.token_invalid`). */
  messages?: Record<string, string>;
  /** The field an error without fields belongs to, by code (`auth.invalid_credentials` → `email`). */
  attach?: Record<string, string>;
}

export interface Form<V> {
  values: V;
  set: <K extends keyof V>(name: K, value: V[K]) => void;
  setValues: (values: V) => void;
  errors: FormError[];
  errorFor: (name: string) => string | undefined;
  /** Changes on every failed submit, so the summary takes focus again. */
  attempt: number;
  busy: boolean;
  onSubmit: (e?: FormEvent) => Promise<void>;
  setErrors: (errors: FormError[]) => void;
}

export function useForm<V extends object>(opts: UseFormOptions<V>): Form<V> {
  const { t, i18n } = useTranslation();
  const [values, setValues] = useState<V>(opts.initial);
  const [errors, setErrorsState] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const valuesRef = useRef(values);
  valuesRef.current = values;

  const setErrors = useCallback((next: FormError[]) => {
    setErrorsState(next);
    if (next.length) setAttempt((a) => a + 1);
  }, []);

  const set = useCallback(<K extends keyof V>(name: K, value: V[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
  }, []);

  const onSubmit = useCallback(
    async (e?: FormEvent) => {
      e?.preventDefault();
      if (running.current) return;
      const o = optsRef.current;
      const current = valuesRef.current;
      const invalid = o.validate?.(current) ?? [];
      if (invalid.length) {
        setErrors(invalid);
        return;
      }
      running.current = true;
      setBusy(true);
      try {
        await o.onSubmit(current);
        setErrorsState([]);
      } catch (err) {
        const conflict = conflictOf(err);
        if (conflict && o.onConflict) {
          setErrorsState([]);
          o.onConflict(conflict);
          return;
        }
        setErrors(toFormErrors(err, current, o, t));
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [setErrors, t],
  );

  // Messages are in the language they were made in: after a switch, they go until the next submit.
  useEffect(() => setErrorsState([]), [i18n.language]);

  const errorFor = useCallback((name: string) => errors.find((e) => e.field === name)?.message, [errors]);

  return { values, set, setValues, errors, errorFor, attempt, busy, onSubmit, setErrors };
}

function toFormErrors<V extends object>(err: unknown, values: V, o: UseFormOptions<V>, t: ReturnType<typeof useTranslation>['t']): FormError[] {
  if (!isApiError(err)) return [{ message: describeError(t, err) }];
  const override = o.messages?.[err.code];
  const fieldFor = o.fieldFor ?? ((path: string) => (path in values ? path : undefined));
  const out: FormError[] = [];
  for (const f of err.fields) {
    const field = fieldFor(f.path) ?? fieldFor(f.path.split('.')[0] ?? '');
    const message = override ?? describeFieldError(t, err.code, f);
    if (field && !out.some((e) => e.field === field)) out.push({ field, message });
    else if (!field) out.push({ message: override ?? describeError(t, err) });
  }
  if (out.length === 0) {
    const field = o.attach?.[err.code];
    out.push({ ...(field ? { field } : {}), message: override ?? describeError(t, err) });
  }
  // One general message is enough, however many unknown paths there were.
  return out.filter((e, i) => e.field || out.findIndex((x) => !x.field && x.message === e.message) === i);
}
