/**
 * Optimistic concurrency for edit forms: the version the form was loaded at, and what to do when
 * the server says someone else saved first (409 record.conflict with the current record).
 * `reapply` saves the person's values over the newer version; `discard` takes the newer values.
 */
import { useRef, useState } from 'react';
import type { Form } from './useForm';

export function useConflict<V extends object>(initialVersion: number, toValues: (current: Record<string, unknown>) => V) {
  const version = useRef(initialVersion);
  const [conflict, setConflict] = useState<{ current: V; version: number } | null>(null);
  return {
    version,
    conflict,
    onConflict: (c: { current: unknown; version: number }) => setConflict({ current: toValues(c.current as Record<string, unknown>), version: c.version }),
    reapply(form: Form<V>) {
      if (!conflict) return;
      version.current = conflict.version;
      setConflict(null);
      void form.onSubmit();
    },
    discard(form: Form<V>) {
      if (!conflict) return;
      version.current = conflict.version;
      form.setValues(conflict.current);
      setConflict(null);
    },
  };
}
