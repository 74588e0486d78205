/** The roles a person holds here, each with a plain description of what it lets them do. */
import { useTranslation } from 'react-i18next';
import { CheckboxGroup } from '../../../app/forms/fields';
import { ROLES } from '../../../../contracts/roles';
import { ROLE_HINT, ROLE_LABEL, type Role } from '../../../app/roles';

export function RoleCheckboxes({ value, onChange, error }: { value: Role[]; onChange: (roles: Role[]) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  return (
    <CheckboxGroup
      name="roles"
      legend={t('admin.users.roles')}
      hint={t('admin.users.rolesHint')}
      options={ROLES.map((r) => ({ value: r, label: t(ROLE_LABEL[r]), hint: t(ROLE_HINT[r]) }))}
      value={value}
      error={error}
      onChange={(v) => onChange(v as Role[])}
    />
  );
}
