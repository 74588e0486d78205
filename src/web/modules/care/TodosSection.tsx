/**
 * A participant's open follow-ups on their profile: due date (and time), how urgent, overdue
 * marked in words as well as colour, whose list each is on; "Mark done", "Reschedule", and
 * "Add follow-up". Shown only to people whose role reads to-dos.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TodoSeverity } from '../../../contracts/care';
import { isApiError, newIdempotencyKey } from '../../app/api';
import { useAuth, useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Tag } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { careKeys, createFollowUp, dateIn, dayAfter, listParticipantTodos, updateTodo, type TodoT } from './care.api';
import { careEn } from './i18n';
import './care.css';

const SEVERITIES = Object.keys(careEn.todos.severities) as TodoSeverity[];
const TONE = { low: 'grey', normal: 'blue', high: 'yellow', urgent: 'red' } as const satisfies Record<TodoSeverity, string>;
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());

export function TodosSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const timeZone = useAuth().me?.organization?.timeZone;
  const mayRead = me.permissions.includes('todos.read');
  const mayManage = me.permissions.includes('todos.manage');
  const todos = useQuery({ queryKey: careKeys.todos(participantId), queryFn: () => listParticipantTodos(participantId), enabled: mayRead });
  // One form open at a time ('add', or the id of the to-do being rescheduled): field ids stay unique.
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  if (!mayRead) return null;
  const open = (todos.data ?? []).filter((x) => x.status === 'open');
  const today = dateIn(new Date(), timeZone);
  return (
    <section aria-labelledby="todos-heading" className="care-section">
      <h2 className="heading-m" id="todos-heading">
        {t('care.todos.heading')}
      </h2>
      {notice ? (
        <Banner kind={notice.kind}>
          <p>{notice.text}</p>
        </Banner>
      ) : null}
      {todos.isPending ? <Loading /> : null}
      {todos.isError ? <LoadFailed error={todos.error} retry={() => void todos.refetch()} /> : null}
      {todos.isSuccess && open.length === 0 ? <p>{t('care.todos.none')}</p> : null}
      <ul className="record-list">
        {open.map((todo) => (
          <TodoEntry
            key={todo.id}
            todo={todo}
            today={today}
            mayManage={mayManage}
            participantId={participantId}
            onNotice={setNotice}
            rescheduling={editing === todo.id}
            setRescheduling={(on) => setEditing(on ? todo.id : null)}
          />
        ))}
      </ul>
      {mayManage && editing !== 'add' ? (
        <Button variant="secondary" onClick={() => { setNotice(null); setEditing('add'); }}>
          {t('care.todos.add')}
        </Button>
      ) : null}
      {mayManage && editing === 'add' ? (
        <AddFollowUp
          participantId={participantId}
          today={today}
          onClose={(saved) => {
            setEditing(null);
            if (saved) setNotice({ kind: 'success', text: t('care.todos.saved') });
          }}
        />
      ) : null}
    </section>
  );
}

function TodoEntry({
  todo,
  today,
  mayManage,
  participantId,
  onNotice,
  rescheduling,
  setRescheduling,
}: {
  todo: TodoT;
  today: string;
  mayManage: boolean;
  participantId: string;
  onNotice: (n: { kind: 'success' | 'warning'; text: string } | null) => void;
  rescheduling: boolean;
  setRescheduling: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: careKeys.all(participantId) });
  /** A change that met a newer version or a closed to-do: say so and show the latest. */
  const explain = async (e: unknown) => {
    if (isApiError(e) && (e.code === 'record.conflict' || e.code === 'todo.closed')) {
      onNotice({ kind: 'warning', text: e.code === 'todo.closed' ? t('care.todos.alreadyClosed') : t('care.todos.changedElsewhere') });
      await refresh();
      return true;
    }
    return false;
  };
  const markDone = async () => {
    if (busy) return;
    setBusy(true);
    onNotice(null);
    try {
      await updateTodo(todo.id, { version: todo.version, status: 'done' });
      onNotice({ kind: 'success', text: t('care.todos.markedDone') });
      await refresh();
    } catch (e) {
      if (!(await explain(e))) onNotice({ kind: 'warning', text: isApiError(e) ? e.message : t('errors.unexpected') });
    } finally {
      setBusy(false);
    }
  };
  const due = todo.dueTime ? t('care.todos.dueAt', { date: todo.dueOn, time: todo.dueTime }) : t('care.todos.due', { date: todo.dueOn });
  return (
    <li className={`record todo${todo.overdue ? ' todo--overdue' : ''}`}>
      <h3 className="heading-s record-title">{todo.title}</h3>
      <p className="todo-facts">
        <span>{due}</span>{' '}
        {todo.overdue ? <Tag tone="red">{t('care.todos.overdue')}</Tag> : null} <Tag tone={TONE[todo.severity]}>{t(`care.todos.severities.${todo.severity}`)}</Tag>
      </p>
      {todo.ownerName ? <p className="hint">{t('care.todos.owner', { name: todo.ownerName })}</p> : null}
      {mayManage && !rescheduling ? (
        <ButtonGroup>
          <Button busy={busy} onClick={() => void markDone()}>
            {t('care.todos.done')}
            <span className="visually-hidden"> {t('care.todos.doneHidden', { title: todo.title })}</span>
          </Button>
          <Button variant="secondary" onClick={() => { onNotice(null); setRescheduling(true); }}>
            {t('care.todos.reschedule')}
          </Button>
        </ButtonGroup>
      ) : null}
      {mayManage && rescheduling ? (
        <Reschedule
          todo={todo}
          today={today}
          onClose={async (result) => {
            setRescheduling(false);
            if (result === 'saved') {
              onNotice({ kind: 'success', text: t('care.todos.rescheduled') });
              await refresh();
            }
          }}
          explain={explain}
        />
      ) : null}
    </li>
  );
}

function Reschedule({ todo, today, onClose, explain }: { todo: TodoT; today: string; onClose: (result: 'saved' | 'cancelled') => Promise<void>; explain: (e: unknown) => Promise<boolean> }) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { dueOn: todo.dueOn, dueTime: todo.dueTime ?? '' },
    validate: (v) => (isDate(v.dueOn) ? [] : [{ field: 'dueOn', message: t('care.todos.errors.dueOnMissing') }]),
    onSubmit: async (v) => {
      try {
        await updateTodo(todo.id, { version: todo.version, dueOn: v.dueOn.trim(), dueTime: v.dueTime || null });
      } catch (e) {
        if (await explain(e)) {
          await onClose('cancelled');
          return;
        }
        throw e;
      }
      await onClose('saved');
    },
  });
  const id = `reschedule-${todo.id}`;
  return (
    <div className="section care-form" role="group" aria-labelledby={id}>
      <h4 className="heading-s" id={id}>
        {t('care.todos.rescheduleHeading')}
      </h4>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="dueOn" type="date" width="medium" min={today} label={t('care.todos.dueOn')} value={form.values.dueOn} error={form.errorFor('dueOn')} onChange={(v) => form.set('dueOn', v)} />
        <TextField name="dueTime" type="time" width="short" optional label={t('care.todos.dueTime')} hint={t('care.todos.dueTimeHint')} value={form.values.dueTime} error={form.errorFor('dueTime')} onChange={(v) => form.set('dueTime', v)} />
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('care.todos.rescheduleSave')}
          </Button>
          <Button variant="secondary" onClick={() => void onClose('cancelled')}>
            {t('common.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </div>
  );
}

function AddFollowUp({ participantId, today, onClose }: { participantId: string; today: string; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [key] = useState(newIdempotencyKey);
  const form = useForm({
    initial: { title: '', dueOn: dayAfter(today), dueTime: '', severity: 'normal' },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.title.trim()) e.push({ field: 'title', message: t('care.todos.errors.titleMissing') });
      if (!isDate(v.dueOn)) e.push({ field: 'dueOn', message: t('care.todos.errors.dueOnMissing') });
      return e;
    },
    onSubmit: async (v) => {
      await createFollowUp(participantId, { title: v.title.trim(), dueOn: v.dueOn.trim(), dueTime: v.dueTime || null, severity: v.severity as TodoSeverity }, key);
      await queryClient.invalidateQueries({ queryKey: careKeys.all(participantId) });
      onClose(true);
    },
  });
  return (
    <div className="section care-form" role="group" aria-labelledby="add-follow-up-heading">
      <h3 className="heading-s" id="add-follow-up-heading">
        {t('care.todos.addHeading')}
      </h3>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="title" label={t('care.todos.title')} hint={t('care.todos.titleHint')} value={form.values.title} error={form.errorFor('title')} onChange={(v) => form.set('title', v)} />
        <TextField name="dueOn" type="date" width="medium" min={today} label={t('care.todos.dueOn')} hint={t('care.todos.dueOnHint')} value={form.values.dueOn} error={form.errorFor('dueOn')} onChange={(v) => form.set('dueOn', v)} />
        <TextField name="dueTime" type="time" width="short" optional label={t('care.todos.dueTime')} hint={t('care.todos.dueTimeHint')} value={form.values.dueTime} error={form.errorFor('dueTime')} onChange={(v) => form.set('dueTime', v)} />
        <RadioGroup
          name="severity"
          inline
          legend={t('care.todos.severity')}
          options={SEVERITIES.map((s) => ({ value: s, label: t(`care.todos.severities.${s}`) }))}
          value={form.values.severity}
          error={form.errorFor('severity')}
          onChange={(v) => form.set('severity', v)}
        />
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('care.todos.save')}
          </Button>
          <Button variant="secondary" onClick={() => onClose(false)}>
            {t('common.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </div>
  );
}
