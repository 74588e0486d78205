/**
 * The coping and safety plan pages: /coping-plans/<participant>/<coping|safety>/{edit,versions,versions/<n>,print}.
 * Loaded on demand; the whole area needs coping_plans.read (app routes), editing coping_plans.write.
 */
import { Route, Routes } from 'react-router';
import { RequirePermission } from '../../app/guards';
import { NotFoundPage } from '../errors/NotFoundPage';
import { PERMISSIONS } from './coping.api';
import { EditPlanPage } from './EditPlanPages';
import { PrintPlanPage } from './PrintPlanPage';
import { VersionPage, VersionsPage } from './VersionPages';

export default function CopingPlanRoutes() {
  return (
    <Routes>
      <Route path=":participantId/:kind/edit" element={<RequirePermission permission={PERMISSIONS.write}><EditPlanPage /></RequirePermission>} />
      <Route path=":participantId/:kind/versions" element={<VersionsPage />} />
      <Route path=":participantId/:kind/versions/:n" element={<VersionPage />} />
      <Route path=":participantId/:kind/print" element={<PrintPlanPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
