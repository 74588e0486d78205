/**
 * The participant pages: caseload and search, brief intake, the profile and the full intake.
 * Loaded on demand; the server checks every request again (and the scope of every record).
 */
import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';
import { BriefIntakePage } from './BriefIntakePage';
import { FullIntakePage } from './FullIntakePage';
import { ParticipantPage } from './ParticipantPage';
import { ParticipantsPage } from './ParticipantsPage';

const ConsentRoutes = lazy(() => import('../consents/ConsentRoutes'));
const EncounterRoutes = lazy(() => import('../encounters/EncounterRoutes'));
const EdRoutes = lazy(() => import('../ed/EdRoutes'));

export default function ParticipantRoutes() {
  return (
    <Routes>
      <Route index element={<ParticipantsPage />} />
      <Route path="new" element={<BriefIntakePage />} />
      <Route path=":id" element={<ParticipantPage />} />
      <Route path=":id/edit" element={<FullIntakePage />} />
      <Route path=":id/consents/*" element={<ConsentRoutes />} />
      <Route path=":id/encounters/*" element={<EncounterRoutes />} />
      <Route path=":id/ed/*" element={<EdRoutes />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
