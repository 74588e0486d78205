/** Encounter pages under /participants/:id/encounters. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';

export default function EncounterRoutes() {
  return (
    <Routes>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
