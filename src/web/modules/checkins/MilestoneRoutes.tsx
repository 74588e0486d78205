/** The milestone pages: /milestones/new and /milestones/celebrate (both ?participant=<id>). Loaded on demand. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';
import { AddMilestonePage, CelebrateMilestonePage } from './MilestonePages';

export default function MilestoneRoutes() {
  return (
    <Routes>
      <Route path="new" element={<AddMilestonePage />} />
      <Route path="celebrate" element={<CelebrateMilestonePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
