/**
 * For program managers (desktop first): edit a service's details, or add a service with its
 * organization and one address. A stale version (someone else saved first) loads their version
 * into the form and says so.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Banner, LoadFailed, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { CheckboxGroup, RadioGroup, SelectField, SingleCheckbox, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import {
  createLocation,
  createOrganization,
  createService,
  directoryKeys,
  getService,
  INSURANCE_CODES,
  ORG_TYPE_CODES,
  SERVICE_TYPE_CODES,
  STATUS_CODES,
  updateService,
  type ServiceT,
} from './directory.api';
import './directory.css';

interface ServiceValues {
  name: string;
  description: string;
  status: string;
  serviceTypes: string[];
  insurance: string[];
  languages: string;
  acceptingNew: string;
  telehealth: boolean;
  eligibilityDescription: string;
}
interface NewValues extends ServiceValues {
  organizationName: string;
  organizationType: string;
  address1: string;
  city: string;
  stateProvince: string;
  postalCode: string;
  latitude: string;
  longitude: string;
  phone: string;
}

const valuesOf = (s: ServiceT): ServiceValues => ({
  name: s.name,
  description: s.description ?? '',
  status: s.status,
  serviceTypes: s.serviceTypes,
  insurance: s.insurance,
  languages: s.languages.join(', '),
  acceptingNew: s.acceptingNew == null ? 'unknown' : s.acceptingNew ? 'yes' : 'no',
  telehealth: s.telehealth,
  eligibilityDescription: s.eligibilityDescription ?? '',
});
const EMPTY: ServiceValues = { name: '', description: '', status: 'active', serviceTypes: [], insurance: [], languages: 'en', acceptingNew: 'unknown', telehealth: false, eligibilityDescription: '' };

const serviceBody = (v: ServiceValues) => ({
  name: v.name.trim(),
  description: v.description.trim() || null,
  status: v.status as 'active',
  serviceTypes: v.serviceTypes as never[],
  insurance: v.insurance as never[],
  languages: v.languages.split(/[\s,]+/).filter(Boolean),
  acceptingNew: v.acceptingNew === 'unknown' ? null : v.acceptingNew === 'yes',
  telehealth: v.telehealth,
  eligibilityDescription: v.eligibilityDescription.trim() || null,
});

const FIELD_FOR = (path: string): string | undefined => {
  const head = path.split('.')[0]!;
  return ['name', 'description', 'status', 'serviceTypes', 'insurance', 'languages', 'acceptingNew', 'eligibilityDescription', 'latitude', 'longitude', 'address1', 'city', 'stateProvince', 'postalCode'].includes(head) ? head : undefined;
};

function ServiceFields<V extends ServiceValues>({ form }: { form: ReturnType<typeof useForm<V>> }) {
  const { t } = useTranslation();
  const v = form.values;
  const set = <K extends keyof ServiceValues>(k: K, x: ServiceValues[K]) => form.set(k, x as unknown as V[keyof V]);
  return (
    <>
      <TextField name="name" label={t('directory.edit.name')} value={v.name} onChange={(x) => set('name', x)} error={form.errorFor('name')} />
      <TextArea name="description" label={t('directory.edit.description')} value={v.description} onChange={(x) => set('description', x)} error={form.errorFor('description')} optional rows={3} />
      <CheckboxGroup name="serviceTypes" legend={t('directory.entry.services')} value={v.serviceTypes} onChange={(x) => set('serviceTypes', x)} error={form.errorFor('serviceTypes')} options={SERVICE_TYPE_CODES.map((c) => ({ value: c, label: t(`directory.types.${c}`) }))} />
      <CheckboxGroup name="insurance" legend={t('directory.entry.insurance')} value={v.insurance} onChange={(x) => set('insurance', x)} error={form.errorFor('insurance')} options={INSURANCE_CODES.map((c) => ({ value: c, label: t(`directory.insurance.${c}`) }))} />
      <RadioGroup
        name="acceptingNew"
        legend={t('directory.edit.acceptingNew')}
        value={v.acceptingNew}
        onChange={(x) => set('acceptingNew', x)}
        inline
        options={[{ value: 'yes', label: t('directory.entry.yes') }, { value: 'no', label: t('directory.entry.no') }, { value: 'unknown', label: t('directory.entry.unknown') }]}
      />
      <SingleCheckbox name="telehealth" label={t('directory.edit.telehealth')} value={v.telehealth} onChange={(x) => set('telehealth', x)} />
      <TextField name="languages" label={t('directory.edit.languages')} hint={t('directory.edit.languagesHint')} width="medium" value={v.languages} onChange={(x) => set('languages', x)} error={form.errorFor('languages')} />
      <TextArea name="eligibilityDescription" label={t('directory.edit.eligibility')} value={v.eligibilityDescription} onChange={(x) => set('eligibilityDescription', x)} error={form.errorFor('eligibilityDescription')} optional rows={2} />
      <SelectField name="status" label={t('directory.edit.status')} value={v.status} onChange={(x) => set('status', x)} options={STATUS_CODES.map((c) => ({ value: c, label: t(`directory.statuses.${c}`) }))} />
    </>
  );
}

export function EditServicePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: directoryKeys.service(id), queryFn: () => getService(id) });
  if (q.isPending) return <Page title={t('directory.edit.title')}><Loading /></Page>;
  if (q.isError) return <Page title={t('directory.edit.title')}><LoadFailed error={q.error} retry={() => void q.refetch()} /></Page>;
  return <EditForm service={q.data} />;
}

function EditForm({ service }: { service: ServiceT }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [version, setVersion] = useState(service.version);
  const [conflict, setConflict] = useState(false);
  const form = useForm<ServiceValues>({
    initial: valuesOf(service),
    fieldFor: FIELD_FOR,
    validate: (v) => (v.name.trim() ? [] : [{ field: 'name', message: t('directory.edit.checkName') }]),
    onConflict: ({ current, version: now }) => {
      form.setValues(valuesOf(current as ServiceT));
      setVersion(now);
      setConflict(true);
    },
    onSubmit: async (v) => {
      const saved = await updateService(service.id, { ...serviceBody(v), version });
      client.setQueryData(directoryKeys.service(service.id), saved);
      await navigate(`/directory/services/${service.id}`);
    },
  });
  return (
    <Page title={t('directory.edit.title')} heading={t('directory.edit.title')} caption={service.name} back={{ to: `/directory/services/${service.id}`, label: service.name }} hasErrors={form.errors.length > 0}>
      {conflict ? <Banner kind="warning" focus>{t('directory.edit.conflict')}</Banner> : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <ServiceFields form={form} />
        <Button type="submit" busy={form.busy}>{t('directory.edit.save')}</Button>
      </form>
    </Page>
  );
}

export function NewServicePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useForm<NewValues>({
    initial: { ...EMPTY, organizationName: '', organizationType: 'treating_provider', address1: '', city: '', stateProvince: '', postalCode: '', latitude: '', longitude: '', phone: '' },
    fieldFor: FIELD_FOR,
    validate: (v) => {
      const errors: FormError[] = [];
      if (!v.organizationName.trim()) errors.push({ field: 'organizationName', message: t('directory.edit.checkOrganization') });
      if (!v.name.trim()) errors.push({ field: 'name', message: t('directory.edit.checkName') });
      const num = (s: string) => s.trim() === '' || Number.isFinite(Number(s));
      if (!num(v.latitude) || !num(v.longitude) || (v.latitude.trim() === '') !== (v.longitude.trim() === '')) errors.push({ field: 'latitude', message: t('directory.search.checkPoint') });
      return errors;
    },
    onSubmit: async (v) => {
      const org = await createOrganization({ name: v.organizationName.trim(), type: v.organizationType as 'other', ...(v.phone.trim() && { phones: [{ number: v.phone.trim() }] }) });
      const hasPlace = v.address1.trim() || v.latitude.trim();
      const loc = hasPlace
        ? await createLocation({
            directoryOrganizationId: org.id,
            address1: v.address1.trim() || null,
            city: v.city.trim() || null,
            stateProvince: v.stateProvince.trim() || null,
            postalCode: v.postalCode.trim() || null,
            ...(v.latitude.trim() && { latitude: Number(v.latitude), longitude: Number(v.longitude) }),
          })
        : null;
      const created = await createService({ directoryOrganizationId: org.id, ...serviceBody(v), ...(loc && { locationIds: [loc.id] }) });
      await navigate(`/directory/services/${created.id}`);
    },
  });
  const v = form.values;
  return (
    <Page title={t('directory.edit.newTitle')} back={{ to: '/directory', label: t('directory.entry.back') }} hasErrors={form.errors.length > 0}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="organizationName" label={t('directory.edit.organizationName')} value={v.organizationName} onChange={(x) => form.set('organizationName', x)} error={form.errorFor('organizationName')} />
        <SelectField name="organizationType" label={t('directory.edit.organizationType')} value={v.organizationType} onChange={(x) => form.set('organizationType', x)} options={ORG_TYPE_CODES.map((c) => ({ value: c, label: t(`directory.orgTypes.${c}`) }))} />
        <TextField name="phone" label={t('directory.edit.phone')} type="tel" width="medium" value={v.phone} onChange={(x) => form.set('phone', x)} error={form.errorFor('phone')} optional />
        <TextField name="address1" label={t('directory.edit.address1')} value={v.address1} onChange={(x) => form.set('address1', x)} error={form.errorFor('address1')} optional />
        <TextField name="city" label={t('directory.edit.city')} width="medium" value={v.city} onChange={(x) => form.set('city', x)} error={form.errorFor('city')} optional />
        <TextField name="stateProvince" label={t('directory.edit.stateProvince')} width="short" value={v.stateProvince} onChange={(x) => form.set('stateProvince', x)} error={form.errorFor('stateProvince')} optional />
        <TextField name="postalCode" label={t('directory.edit.postalCode')} width="short" value={v.postalCode} onChange={(x) => form.set('postalCode', x)} error={form.errorFor('postalCode')} optional />
        <div className="directory-point">
          <TextField name="latitude" label={t('directory.edit.latitude')} hint={t('directory.search.pointHint')} inputMode="decimal" width="short" value={v.latitude} onChange={(x) => form.set('latitude', x)} error={form.errorFor('latitude')} optional />
          <TextField name="longitude" label={t('directory.edit.longitude')} inputMode="decimal" width="short" value={v.longitude} onChange={(x) => form.set('longitude', x)} error={form.errorFor('longitude')} optional />
        </div>
        <ServiceFields form={form} />
        <Button type="submit" busy={form.busy}>{t('directory.edit.create')}</Button>
      </form>
    </Page>
  );
}
