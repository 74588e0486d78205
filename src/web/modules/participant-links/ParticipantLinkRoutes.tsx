/** The coach's link pages: /participant-links/new?participant=<id>. Loaded on demand. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';
import SendLinkPage from './SendLinkPage';

export default function ParticipantLinkRoutes() {
  return (
    <Routes>
      <Route path="new" element={<SendLinkPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
