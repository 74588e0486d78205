/** The reports pages: /reports (the outcomes dashboard), /reports/funder (the funder report) and /reports/:measureId/cases (the drill-down). Loaded on demand. */
import { Route, Routes } from 'react-router';
import { RequirePermission } from '../../app/guards';
import { NotFoundPage } from '../errors/NotFoundPage';
import { CasesPage } from './CasesPage';
import { DashboardPage } from './DashboardPage';
import { FunderReportPage } from './FunderReportPage';
import { PERMISSIONS } from './reports.api';

export default function ReportRoutes() {
  return (
    <Routes>
      <Route index element={<RequirePermission permission={PERMISSIONS.read}><DashboardPage /></RequirePermission>} />
      <Route path="funder" element={<RequirePermission permission={PERMISSIONS.read}><FunderReportPage /></RequirePermission>} />
      <Route path=":measureId/cases" element={<RequirePermission permission={PERMISSIONS.cases}><CasesPage /></RequirePermission>} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
