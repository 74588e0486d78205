/** The supervisor's note review queue and group encounters, under /encounters. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../errors/NotFoundPage';

export default function ReviewRoutes() {
  return (
    <Routes>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
