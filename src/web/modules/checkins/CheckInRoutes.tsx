/** The check-in pages: /check-ins/new?participant=<id>. Loaded on demand. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';
import { RecordCheckInPage } from './RecordCheckInPage';

export default function CheckInRoutes() {
  return (
    <Routes>
      <Route path="new" element={<RecordCheckInPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
