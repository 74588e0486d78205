/** ED bedside pages under /participants/:id/ed. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';
import { BedsidePage } from './BedsidePage';
import { NewVisitPage } from './NewVisitPage';

export default function EdRoutes() {
  return (
    <Routes>
      <Route path="new" element={<NewVisitPage />} />
      <Route path=":visitId" element={<BedsidePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
