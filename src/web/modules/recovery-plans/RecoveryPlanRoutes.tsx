/** The recovery-plan pages: /recovery-plans/new?participant=<id>, /recovery-plans/:id/{edit,agreement,review,print}, /recovery-plans/:id/versions/:n. Loaded on demand. */
import { Route, Routes } from 'react-router';
import { RequirePermission } from '../../app/guards';
import { NotFoundPage } from '../errors/NotFoundPage';
import { AgreementPage, EditPlanPage, PrintPlanPage, ReviewPage } from './PlanPages';
import { PERMISSIONS } from './plans.api';
import { VersionPage } from './VersionPage';

export default function RecoveryPlanRoutes() {
  return (
    <Routes>
      <Route path="new" element={<RequirePermission permission={PERMISSIONS.write}><EditPlanPage /></RequirePermission>} />
      <Route path=":id/edit" element={<RequirePermission permission={PERMISSIONS.write}><EditPlanPage /></RequirePermission>} />
      <Route path=":id/agreement" element={<RequirePermission permission={PERMISSIONS.write}><AgreementPage /></RequirePermission>} />
      <Route path=":id/review" element={<RequirePermission permission={PERMISSIONS.write}><ReviewPage /></RequirePermission>} />
      <Route path=":id/print" element={<PrintPlanPage />} />
      <Route path=":id/versions/:n" element={<VersionPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
