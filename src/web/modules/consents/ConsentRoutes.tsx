/** Consent pages under /participants/:id/consents. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';

export default function ConsentRoutes() {
  return (
    <Routes>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
